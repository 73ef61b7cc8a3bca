"""Texts of the auth and onboarding pages in French, English and Arabic (see verifier/i18n.py).

Keys start with ``auth-`` or ``onboarding-`` so that they never shadow another catalog's.
"""

from __future__ import annotations

__all__ = ["AUTH_MESSAGES"]

AUTH_MESSAGES: dict[str, dict[str, str]] = {
    "auth-sign-in-title": {
        "fr": "Se connecter",
        "en": "Sign in",
        "ar": "تسجيل الدخول",
    },
    "auth-email": {
        "fr": "Adresse électronique",
        "en": "E-mail address",
        "ar": "البريد الإلكتروني",
    },
    "auth-password": {
        "fr": "Mot de passe",
        "en": "Password",
        "ar": "كلمة المرور",
    },
    "auth-sign-in-submit": {
        "fr": "Se connecter",
        "en": "Sign in",
        "ar": "دخول",
    },
    "auth-sign-out": {
        "fr": "Se déconnecter",
        "en": "Sign out",
        "ar": "تسجيل الخروج",
    },
    "auth-forgot-link": {
        "fr": "Mot de passe oublié ?",
        "en": "Forgotten password?",
        "ar": "هل نسيت كلمة المرور؟",
    },
    "auth-activate-hint": {
        "fr": "Vous avez reçu une lettre d'activation de l'OFII ?",
        "en": "Did OFII give you an activation letter?",
        "ar": "هل سلّمك المكتب الفرنسي للهجرة والاندماج رسالة تفعيل؟",
    },
    "auth-activate-link": {
        "fr": "Activer mon espace",
        "en": "Activate my space",
        "ar": "تفعيل حسابي",
    },
    "auth-failed": {
        "fr": "Adresse électronique ou mot de passe incorrect.",
        "en": "Wrong e-mail address or password.",
        "ar": "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
    },
    "auth-disabled": {
        "fr": "Ce compte est désactivé. Adressez-vous à l'OFII.",
        "en": "This account is disabled. Contact OFII.",
        "ar": "هذا الحساب معطّل. تواصل مع المكتب الفرنسي للهجرة والاندماج.",
    },
    "auth-code-title": {
        "fr": "Code de vérification",
        "en": "Verification code",
        "ar": "رمز التحقق",
    },
    "auth-code-intro": {
        "fr": "Saisissez le code à 6 chiffres affiché par votre application d'authentification.",
        "en": "Type the 6-digit code shown by your authenticator app.",
        "ar": "أدخل الرمز المكوّن من 6 أرقام الذي يعرضه تطبيق المصادقة.",
    },
    "auth-code": {
        "fr": "Code à 6 chiffres",
        "en": "6-digit code",
        "ar": "رمز من 6 أرقام",
    },
    "auth-code-submit": {
        "fr": "Valider",
        "en": "Confirm",
        "ar": "تأكيد",
    },
    "auth-code-wrong": {
        "fr": "Ce code n'est pas le bon, ou il a déjà servi : attendez le suivant.",
        "en": "This code is wrong or has already been used: wait for the next one.",
        "ar": "هذا الرمز غير صحيح أو سبق استخدامه: انتظر الرمز التالي.",
    },
    "auth-enrol-title": {
        "fr": "Activer la double authentification",
        "en": "Set up two-step verification",
        "ar": "تفعيل التحقق بخطوتين",
    },
    "auth-enrol-mandatory": {
        "fr": "Les comptes des agents et des administrateurs sont protégés par un "
        "second facteur : configurez-le maintenant pour terminer la connexion.",
        "en": "Agent and administrator accounts are protected by a second factor: "
        "set it up now to finish signing in.",
        "ar": "حسابات الموظفين والمسؤولين محمية بعامل ثانٍ: قم بإعداده الآن لإتمام تسجيل الدخول.",
    },
    "auth-enrol-optional": {
        "fr": "Un second facteur protège votre compte même si votre mot de passe est "
        "découvert. Il est facultatif pour vous.",
        "en": "A second factor protects your account even if your password is found "
        "out. It is optional for you.",
        "ar": "يحمي العامل الثاني حسابك حتى لو اكتُشفت كلمة المرور. وهو اختياري بالنسبة إليك.",
    },
    "auth-enrol-step-app": {
        "fr": "Installez une application d'authentification (par exemple FreeOTP, "
        "Aegis ou Google Authenticator).",
        "en": "Install an authenticator app (for example FreeOTP, Aegis or Google Authenticator).",
        "ar": "ثبّت تطبيق مصادقة (مثل FreeOTP أو Aegis أو Google Authenticator).",
    },
    "auth-enrol-step-scan": {
        "fr": "Scannez le code QR avec l'application, ou saisissez la clé affichée.",
        "en": "Scan the QR code with the app, or type the key shown.",
        "ar": "امسح رمز QR بالتطبيق، أو أدخل المفتاح المعروض.",
    },
    "auth-enrol-step-code": {
        "fr": "Saisissez le code à 6 chiffres que l'application affiche.",
        "en": "Type the 6-digit code the app shows.",
        "ar": "أدخل الرمز المكوّن من 6 أرقام الذي يعرضه التطبيق.",
    },
    "auth-enrol-qr-alt": {
        "fr": "Code QR de configuration de l'application d'authentification",
        "en": "QR code to set up the authenticator app",
        "ar": "رمز QR لإعداد تطبيق المصادقة",
    },
    "auth-enrol-secret": {
        "fr": "Clé à saisir si vous ne pouvez pas scanner :",
        "en": "Key to type if you cannot scan:",
        "ar": "المفتاح الذي يجب إدخاله إن تعذّر المسح:",
    },
    "auth-enrol-submit": {
        "fr": "Activer",
        "en": "Turn on",
        "ar": "تفعيل",
    },
    "auth-enrol-done": {
        "fr": "La double authentification est activée.",
        "en": "Two-step verification is on.",
        "ar": "تم تفعيل التحقق بخطوتين.",
    },
    "auth-second-factor-title": {
        "fr": "Double authentification",
        "en": "Two-step verification",
        "ar": "التحقق بخطوتين",
    },
    "auth-second-factor-on": {
        "fr": "Votre compte est protégé par un second facteur (application d'authentification).",
        "en": "Your account is protected by a second factor (authenticator app).",
        "ar": "حسابك محمي بعامل ثانٍ (تطبيق المصادقة).",
    },
    "auth-second-factor-off": {
        "fr": "Votre compte n'est pas protégé par un second facteur.",
        "en": "Your account is not protected by a second factor.",
        "ar": "حسابك غير محمي بعامل ثانٍ.",
    },
    "auth-forgot-title": {
        "fr": "Mot de passe oublié",
        "en": "Forgotten password",
        "ar": "نسيت كلمة المرور",
    },
    "auth-forgot-intro": {
        "fr": "Indiquez l'adresse électronique de votre compte : nous y enverrons un "
        "lien pour choisir un nouveau mot de passe, valable 2 heures.",
        "en": "Give the e-mail address of your account: we will send it a link to "
        "choose a new password, valid for 2 hours.",
        "ar": "أدخل البريد الإلكتروني لحسابك: سنرسل إليه رابطًا لاختيار كلمة مرور "
        "جديدة، صالحًا لمدة ساعتين.",
    },
    "auth-forgot-submit": {
        "fr": "Envoyer le lien",
        "en": "Send the link",
        "ar": "إرسال الرابط",
    },
    "auth-forgot-sent": {
        "fr": "Si un compte utilise cette adresse, un message vient d'y être envoyé. "
        "Le lien est valable 2 heures ; pensez à regarder dans les "
        "indésirables.",
        "en": "If an account uses this address, a message has just been sent to it. "
        "The link is valid for 2 hours; check your spam folder too.",
        "ar": "إذا كان هناك حساب يستخدم هذا العنوان، فقد أُرسلت إليه رسالة للتو. "
        "الرابط صالح لمدة ساعتين؛ تحقق أيضًا من مجلد البريد غير المرغوب فيه.",
    },
    "auth-new-password": {
        "fr": "Nouveau mot de passe",
        "en": "New password",
        "ar": "كلمة المرور الجديدة",
    },
    "auth-new-password-again": {
        "fr": "Le même, une seconde fois",
        "en": "The same again",
        "ar": "أعد كتابتها مرة أخرى",
    },
    "auth-password-rule": {
        "fr": "Au moins 12 caractères ; une phrase de plusieurs mots est facile à retenir.",
        "en": "At least 12 characters; a phrase of several words is easy to remember.",
        "ar": "12 حرفًا على الأقل؛ العبارة المكوّنة من عدة كلمات سهلة التذكّر.",
    },
    "auth-passwords-differ": {
        "fr": "Les deux mots de passe saisis sont différents.",
        "en": "The two passwords typed differ.",
        "ar": "كلمتا المرور المدخلتان مختلفتان.",
    },
    "auth-email-invalid": {
        "fr": "Cette adresse électronique n'est pas valide.",
        "en": "This e-mail address is not valid.",
        "ar": "هذا البريد الإلكتروني غير صالح.",
    },
    "auth-reset-title": {
        "fr": "Choisir un nouveau mot de passe",
        "en": "Choose a new password",
        "ar": "اختيار كلمة مرور جديدة",
    },
    "auth-reset-submit": {
        "fr": "Enregistrer le mot de passe",
        "en": "Save the password",
        "ar": "حفظ كلمة المرور",
    },
    "auth-reset-done": {
        "fr": "Votre mot de passe est changé. Toutes les sessions ouvertes avec "
        "l'ancien sont fermées : connectez-vous avec le nouveau.",
        "en": "Your password is changed. Every session opened with the old one is "
        "closed: sign in with the new one.",
        "ar": "تم تغيير كلمة المرور. أُغلقت كل الجلسات المفتوحة بكلمة المرور "
        "القديمة: سجّل الدخول بالجديدة.",
    },
    "auth-code-invalid-title": {
        "fr": "Ce lien ne fonctionne plus",
        "en": "This link no longer works",
        "ar": "هذا الرابط لم يعد صالحًا",
    },
    "auth-code-invalid-reset": {
        "fr": "Le lien a déjà servi, a expiré (il vaut 2 heures) ou est incomplet. "
        "Demandez-en un nouveau.",
        "en": "The link has already been used, has expired (it lasts 2 hours) or is "
        "incomplete. Ask for a new one.",
        "ar": "سبق استخدام الرابط، أو انتهت صلاحيته (ساعتان)، أو أنه غير مكتمل. اطلب رابطًا جديدًا.",
    },
    "auth-code-invalid-activation": {
        "fr": "Ce code d'activation a déjà servi, a expiré (il vaut 30 jours), a été "
        "remplacé par une nouvelle lettre ou est mal recopié. Aucun compte n'a "
        "été créé. Vérifiez le code, ou demandez une nouvelle lettre à votre "
        "direction territoriale de l'OFII.",
        "en": "This activation code has already been used, has expired (it lasts 30 "
        "days), was replaced by a new letter or was mistyped. No account was "
        "created. Check the code, or ask your OFII office for a new letter.",
        "ar": "رمز التفعيل هذا سبق استخدامه، أو انتهت صلاحيته (30 يومًا)، أو استُبدل "
        "برسالة جديدة، أو نُسخ بشكل خاطئ. لم يُنشأ أي حساب. تحقق من الرمز أو "
        "اطلب رسالة جديدة من مديرية المكتب الفرنسي للهجرة والاندماج.",
    },
    "auth-reset-mail-subject": {
        "fr": "Sceau : choisir un nouveau mot de passe",
        "en": "Sceau: choose a new password",
        "ar": "Sceau: اختيار كلمة مرور جديدة",
    },
    "auth-reset-mail-body": {
        "fr": "Bonjour,\n\nUn nouveau mot de passe a été demandé pour votre compte "
        "Sceau. Pour le choisir, ouvrez ce lien dans les 2 heures "
        ":\n\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre "
        "mot de passe reste le même.\n\nOFII — Sceau",
        "en": "Hello,\n\nA new password was asked for your Sceau account. To choose "
        "it, open this link within 2 hours:\n\n{link}\n\nIf you did not ask for "
        "anything, ignore this message: your password stays the same.\n\nOFII — "
        "Sceau",
        "ar": "مرحبًا،\n\nطُلبت كلمة مرور جديدة لحسابك في Sceau. لاختيارها، افتح هذا "
        "الرابط خلال ساعتين:\n\n{link}\n\nإذا لم تطلب شيئًا، تجاهل هذه الرسالة: "  # noqa: RUF001 - {link} beside Arabic
        "تبقى كلمة المرور كما هي.\n\nOFII — Sceau",
    },
    "onboarding-new-title": {
        "fr": "Nouvelle personne",
        "en": "New person",
        "ar": "شخص جديد",
    },
    "onboarding-new-intro": {
        "fr": "Enregistrez la personne telle qu'écrite sur son passeport, puis "
        "imprimez sa lettre d'activation.",
        "en": "Record the person as written in their passport, then print their activation letter.",
        "ar": "سجّل الشخص كما هو مكتوب في جواز سفره، ثم اطبع رسالة التفعيل الخاصة به.",
    },
    "onboarding-name-hint": {
        "fr": "En alphabet latin, comme dans le passeport.",
        "en": "In the Latin alphabet, as in the passport.",
        "ar": "بالحروف اللاتينية، كما في جواز السفر.",
    },
    "onboarding-birth-date-hint": {
        "fr": "AAAA-MM-JJ, ou AAAA-MM ou AAAA si le jour ou le mois n'est pas connu.",
        "en": "YYYY-MM-DD, or YYYY-MM or YYYY when the day or month is not known.",
        "ar": "YYYY-MM-DD، أو YYYY-MM أو YYYY إذا كان اليوم أو الشهر غير معروف.",
    },
    "onboarding-nationality": {
        "fr": "Nationalité (code ISO à 3 lettres, facultatif)",
        "en": "Nationality (3-letter ISO code, optional)",
        "ar": "الجنسية (رمز ISO من 3 أحرف، اختياري)",
    },
    "onboarding-language": {
        "fr": "Langue préférée",
        "en": "Preferred language",
        "ar": "اللغة المفضلة",
    },
    "onboarding-create-submit": {
        "fr": "Enregistrer la personne",
        "en": "Record the person",
        "ar": "تسجيل الشخص",
    },
    "onboarding-link-title": {
        "fr": "Personne déjà enregistrée",
        "en": "Person already on file",
        "ar": "شخص مسجّل مسبقًا",
    },
    "onboarding-person-number": {
        "fr": "Numéro de dossier",
        "en": "File number",
        "ar": "رقم الملف",
    },
    "onboarding-link-submit": {
        "fr": "Ouvrir ce dossier",
        "en": "Open this file",
        "ar": "فتح هذا الملف",
    },
    "onboarding-person-not-found": {
        "fr": "Aucune personne de votre direction ne porte ce numéro.",
        "en": "No person of your office has this number.",
        "ar": "لا يوجد شخص في مديريتك يحمل هذا الرقم.",
    },
    "onboarding-name-required": {
        "fr": "Indiquez un nom ou des prénoms (200 caractères au plus).",
        "en": "Give a family name or given names (200 characters at most).",
        "ar": "أدخل اسم العائلة أو الأسماء الشخصية (200 حرف على الأكثر).",
    },
    "onboarding-name-latin": {
        "fr": "Écrivez le nom en alphabet latin, comme dans le passeport.",
        "en": "Write the name in the Latin alphabet, as in the passport.",
        "ar": "اكتب الاسم بالحروف اللاتينية، كما في جواز السفر.",
    },
    "onboarding-birth-date-invalid": {
        "fr": "Date de naissance invalide : AAAA-MM-JJ, AAAA-MM ou AAAA.",
        "en": "Invalid birth date: YYYY-MM-DD, YYYY-MM or YYYY.",
        "ar": "تاريخ الميلاد غير صالح: YYYY-MM-DD أو YYYY-MM أو YYYY.",
    },
    "onboarding-nationality-invalid": {
        "fr": "Nationalité : un code ISO à 3 lettres, comme SEN.",
        "en": "Nationality: a 3-letter ISO code such as SEN.",
        "ar": "الجنسية: رمز ISO من 3 أحرف مثل SEN.",
    },
    "onboarding-language-invalid": {
        "fr": "Langue : français, anglais ou arabe.",
        "en": "Language: French, English or Arabic.",
        "ar": "اللغة: الفرنسية أو الإنجليزية أو العربية.",
    },
    "onboarding-activation-title": {
        "fr": "Lettre d'activation",
        "en": "Activation letter",
        "ar": "رسالة التفعيل",
    },
    "onboarding-letter-intro": {
        "fr": "La lettre porte un code à usage unique, valable 30 jours. Imprimer "
        "une nouvelle lettre annule le code des précédentes.",
        "en": "The letter carries a single-use code, valid 30 days. Printing a new "
        "letter cancels the code of earlier ones.",
        "ar": "تحمل الرسالة رمزًا يُستخدم مرة واحدة، صالحًا لمدة 30 يومًا. طباعة "
        "رسالة جديدة تلغي رمز الرسائل السابقة.",
    },
    "onboarding-letter-submit": {
        "fr": "Imprimer la lettre d'activation (PDF)",
        "en": "Print the activation letter (PDF)",
        "ar": "طباعة رسالة التفعيل (PDF)",
    },
    "onboarding-person-has-account": {
        "fr": "Cette personne a déjà un compte.",
        "en": "This person already has an account.",
        "ar": "لهذا الشخص حساب بالفعل.",
    },
    "onboarding-activate-title": {
        "fr": "Activer mon espace",
        "en": "Activate my space",
        "ar": "تفعيل حسابي",
    },
    "onboarding-activate-intro": {
        "fr": "Recopiez le code de votre lettre d'activation, puis choisissez "
        "l'adresse électronique et le mot de passe de votre compte.",
        "en": "Copy the code of your activation letter, then choose the e-mail "
        "address and password of your account.",
        "ar": "انسخ الرمز الموجود في رسالة التفعيل، ثم اختر البريد الإلكتروني وكلمة المرور لحسابك.",
    },
    "onboarding-activation-code": {
        "fr": "Code d'activation",
        "en": "Activation code",
        "ar": "رمز التفعيل",
    },
    "onboarding-activate-submit": {
        "fr": "Créer mon compte",
        "en": "Create my account",
        "ar": "إنشاء حسابي",
    },
    "onboarding-email-taken": {
        "fr": "Un compte utilise déjà cette adresse électronique.",
        "en": "An account already uses this e-mail address.",
        "ar": "يوجد حساب يستخدم هذا البريد الإلكتروني بالفعل.",
    },
    "onboarding-account-conflict": {
        "fr": "Le compte n'a pas pu être créé (code déjà utilisé ou adresse déjà "
        "prise) : rechargez la page.",
        "en": "The account could not be created (code already used or address "
        "taken): reload the page.",
        "ar": "تعذّر إنشاء الحساب (الرمز مستخدم أو العنوان محجوز): أعد تحميل الصفحة.",
    },
}

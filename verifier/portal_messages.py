"""Texts of the portal, lawyer, agent and administrator pages, and of the prefecture additions
to the seal page, in French, English and Arabic (see verifier/i18n.py).

The migrants who read the portal often read French poorly: short sentences, what the page
shows first, then what they can do. ``role-*`` are the roles of verifier/models.py, ``scope-*``
the mandate scopes, ``access-action-*`` the actions recorded in the access log (a test walks
the enums, so a new value needs its entry here).
"""

from __future__ import annotations

__all__ = ["PORTAL_MESSAGES"]

_SHARED: dict[str, dict[str, str]] = {
    "role-administrator": {"fr": "Administrateur", "en": "Administrator", "ar": "مسؤول"},
    "role-ofii-agent": {"fr": "Agent de l'OFII", "en": "OFII agent", "ar": "موظف OFII"},
    "role-prefecture-agent": {
        "fr": "Agent de préfecture",
        "en": "Prefecture agent",
        "ar": "موظف المحافظة",
    },
    "role-lawyer": {"fr": "Avocat", "en": "Lawyer", "ar": "محامٍ"},
    "role-migrant": {"fr": "Titulaire", "en": "Holder", "ar": "صاحب الملف"},
    "scope-read": {
        "fr": "consulter le dossier",
        "en": "read the file",
        "ar": "الاطلاع على الملف",
    },
    "scope-packs": {
        "fr": "préparer des dossiers de pièces",
        "en": "build evidence packs",
        "ar": "إعداد ملفات المستندات",
    },
    "scope-upload": {
        "fr": "déposer des documents",
        "en": "upload documents",
        "ar": "رفع وثائق",
    },
    "access-action-view": {
        "fr": "a consulté le dossier",
        "en": "opened the file",
        "ar": "اطّلع على الملف",
    },
    "access-action-download": {
        "fr": "a téléchargé une attestation",
        "en": "downloaded a certificate",
        "ar": "نزّل شهادة",
    },
    "access-action-verify": {
        "fr": "a vérifié une attestation",
        "en": "checked a certificate",
        "ar": "تحقق من شهادة",
    },
    "access-action-api-read": {
        "fr": "a consulté une attestation (service informatique)",
        "en": "read a certificate (computer service)",
        "ar": "اطّلع على شهادة (خدمة معلوماتية)",
    },
    "access-action-api-download": {
        "fr": "a téléchargé une attestation (service informatique)",
        "en": "downloaded a certificate (computer service)",
        "ar": "نزّل شهادة (خدمة معلوماتية)",
    },
    "access-by-service": {
        "fr": "Un service informatique de l'administration",
        "en": "An administration computer service",
        "ar": "خدمة معلوماتية تابعة للإدارة",
    },
    "lawyer-bar": {"fr": "barreau de {bar}", "en": "{bar} bar", "ar": "هيئة محامي {bar}"},
    "mandate-until": {
        "fr": "jusqu'au {date} inclus",
        "en": "until {date} included",
        "ar": "حتى {date} ضمنًا",
    },
}

_PORTAL: dict[str, dict[str, str]] = {
    "portal-title": {"fr": "Mon espace", "en": "My space", "ar": "فضائي"},
    "portal-intro": {
        "fr": "Bonjour {name}. Voici vos attestations, vos rendez-vous et vos avocats.",
        "en": "Hello {name}. Here are your certificates, your appointments and your lawyers.",
        "ar": "مرحبًا {name}. هذه شهاداتك ومواعيدك ومحاموك.",
    },
    "portal-nav": {"fr": "Mon espace", "en": "My space", "ar": "فضائي"},
    "portal-nav-home": {"fr": "Mes attestations", "en": "My certificates", "ar": "شهاداتي"},
    "portal-nav-accesses": {
        "fr": "Qui a consulté mon dossier",
        "en": "Who opened my file",
        "ar": "من اطّلع على ملفي",
    },
    "portal-nav-mandates": {"fr": "Mes avocats", "en": "My lawyers", "ar": "محاميّ"},
    "portal-certificates-heading": {"fr": "Attestations", "en": "Certificates", "ar": "الشهادات"},
    "portal-issued-on": {"fr": "délivrée le", "en": "issued on", "ar": "صدرت بتاريخ"},
    "portal-valid-until": {"fr": "valable jusqu'au", "en": "valid until", "ar": "صالحة حتى"},
    "portal-download-pdf": {
        "fr": "Télécharger le PDF signé",
        "en": "Download the signed PDF",
        "ar": "تنزيل ملف PDF الموقَّع",
    },
    "portal-no-certificates": {
        "fr": "Aucune attestation.",
        "en": "No certificate.",
        "ar": "لا توجد شهادات.",
    },
    "portal-appointments-heading": {
        "fr": "Mes rendez-vous",
        "en": "My appointments",
        "ar": "مواعيدي",
    },
    "portal-no-appointments": {
        "fr": "Aucun rendez-vous.",
        "en": "No appointment.",
        "ar": "لا توجد مواعيد.",
    },
    "portal-lawyers-heading": {"fr": "Mes avocats", "en": "My lawyers", "ar": "محاميّ"},
    "portal-no-lawyers": {
        "fr": "Aucun avocat n'a accès à votre dossier.",
        "en": "No lawyer has access to your file.",
        "ar": "لا يملك أي محامٍ حق الوصول إلى ملفك.",
    },
    "portal-manage-mandates": {
        "fr": "Donner ou retirer un accès",
        "en": "Give or withdraw access",
        "ar": "منح وصول أو سحبه",
    },
    "portal-accesses-link": {
        "fr": "Voir qui a consulté mon dossier, et quand",
        "en": "See who opened my file, and when",
        "ar": "معرفة من اطّلع على ملفي ومتى",
    },
    "accesses-title": {
        "fr": "Qui a consulté mon dossier",
        "en": "Who opened my file",
        "ar": "من اطّلع على ملفي",
    },
    "accesses-intro": {
        "fr": (
            "Chaque fois qu'un avocat, un agent de l'OFII ou un agent de préfecture ouvre votre "
            "dossier ou vérifie une de vos attestations, c'est écrit ici."
        ),
        "en": (
            "Each time a lawyer, an OFII agent or a prefecture agent opens your file or checks "
            "one of your certificates, it is written here."
        ),
        "ar": (
            "كلما فتح محامٍ أو موظف من OFII أو من المحافظة ملفك أو تحقق من إحدى شهاداتك، "
            "يُسجَّل ذلك هنا."
        ),
    },
    "accesses-heading": {"fr": "Consultations", "en": "Accesses", "ar": "عمليات الاطلاع"},
    "accesses-none": {
        "fr": "Personne n'a encore consulté votre dossier.",
        "en": "Nobody has opened your file yet.",
        "ar": "لم يطّلع أحد على ملفك بعد.",
    },
}

_MANDATES: dict[str, dict[str, str]] = {
    "mandates-title": {"fr": "Mes avocats", "en": "My lawyers", "ar": "محاميّ"},
    "mandates-intro": {
        "fr": (
            "Vous pouvez donner à votre avocat l'accès à votre dossier, jusqu'à une date que "
            "vous choisissez. Vous pouvez le retirer à tout moment : il prend fin tout de suite."
        ),
        "en": (
            "You can give your lawyer access to your file, until a date you choose. You can "
            "withdraw it at any time: it ends at once."
        ),
        "ar": (
            "يمكنك منح محاميك حق الوصول إلى ملفك حتى تاريخ تختاره. ويمكنك سحبه في أي وقت: "
            "ينتهي فورًا."
        ),
    },
    "mandates-heading": {"fr": "Accès donnés", "en": "Access given", "ar": "الوصول الممنوح"},
    "mandates-none": {
        "fr": "Vous n'avez donné d'accès à aucun avocat.",
        "en": "You have not given access to any lawyer.",
        "ar": "لم تمنح حق الوصول لأي محامٍ.",
    },
    "mandate-state-active": {"fr": "Accès en cours", "en": "Access in force", "ar": "وصول ساري"},
    "mandate-state-revoked": {"fr": "Accès retiré", "en": "Access withdrawn", "ar": "وصول مسحوب"},
    "mandate-state-ended": {"fr": "Accès terminé", "en": "Access ended", "ar": "وصول منتهٍ"},
    "mandate-revoke": {
        "fr": "Retirer l'accès maintenant",
        "en": "Withdraw access now",
        "ar": "سحب الوصول الآن",
    },
    "mandate-grant-heading": {
        "fr": "Donner l'accès à un avocat",
        "en": "Give a lawyer access",
        "ar": "منح محامٍ حق الوصول",
    },
    "mandate-lawyer-email": {
        "fr": "Adresse e-mail de l'avocat (son compte Sceau)",
        "en": "The lawyer's e-mail address (their Sceau account)",
        "ar": "البريد الإلكتروني للمحامي (حسابه في Sceau)",
    },
    "mandate-scopes": {
        "fr": "Ce que l'avocat pourra faire",
        "en": "What the lawyer may do",
        "ar": "ما يمكن للمحامي فعله",
    },
    "mandate-scope-read-implied": {
        "fr": "Il pourra toujours consulter votre dossier. Il pourra aussi :",
        "en": "They may always read your file. They may also:",
        "ar": "يمكنه دائمًا الاطلاع على ملفك. ويمكنه أيضًا:",
    },
    "mandate-ends-on": {
        "fr": "Dernier jour de l'accès",
        "en": "Last day of access",
        "ar": "آخر يوم للوصول",
    },
    "mandate-ends-on-hint": {
        "fr": "Au plus un an à partir d'aujourd'hui.",
        "en": "At most one year from today.",
        "ar": "سنة واحدة على الأكثر من اليوم.",
    },
    "mandate-grant": {"fr": "Donner l'accès", "en": "Give access", "ar": "منح الوصول"},
    "mandate-error-no-lawyer": {
        "fr": "Aucun avocat inscrit n'a cette adresse e-mail. Vérifiez-la auprès de votre avocat.",
        "en": "No registered lawyer has this e-mail address. Check it with your lawyer.",
        "ar": "لا يوجد محامٍ مسجَّل بهذا البريد الإلكتروني. تحقق منه مع محاميك.",
    },
    "mandate-error-date": {
        "fr": "La date n'est pas lisible. Choisissez un jour dans le calendrier.",
        "en": "The date cannot be read. Pick a day in the calendar.",
        "ar": "التاريخ غير مقروء. اختر يومًا من التقويم.",
    },
    "mandate-error-date-range": {
        "fr": "Choisissez un jour après aujourd'hui, dans moins d'un an.",
        "en": "Pick a day after today, less than a year away.",
        "ar": "اختر يومًا بعد اليوم وخلال أقل من سنة.",
    },
    "mandate-error-duplicate": {
        "fr": "Cet avocat a déjà un accès en cours. Retirez-le d'abord pour le changer.",
        "en": "This lawyer already has access in force. Withdraw it first to change it.",
        "ar": "لدى هذا المحامي وصول ساري بالفعل. اسحبه أولًا لتغييره.",
    },
}

_LAWYER: dict[str, dict[str, str]] = {
    "lawyer-title": {"fr": "Mes clients", "en": "My clients", "ar": "موكّلي"},
    "lawyer-intro": {
        "fr": (
            "Les personnes qui vous ont donné accès à leur dossier, tant que cet accès est en "
            "cours. Chaque consultation est visible par votre client."
        ),
        "en": (
            "The persons who gave you access to their file, while that access is in force. "
            "Your client sees each of your accesses."
        ),
        "ar": "الأشخاص الذين منحوك حق الوصول إلى ملفهم ما دام ساريًا. يرى موكّلك كل اطلاع لك.",
    },
    "lawyer-clients-heading": {"fr": "Clients", "en": "Clients", "ar": "الموكّلون"},
    "lawyer-no-clients": {
        "fr": "Aucun client ne vous a donné accès à son dossier.",
        "en": "No client has given you access to their file.",
        "ar": "لم يمنحك أي موكّل حق الوصول إلى ملفه.",
    },
    "lawyer-client-eyebrow": {"fr": "Dossier du client", "en": "Client's file", "ar": "ملف الموكّل"},
    "lawyer-mandate-summary": {
        "fr": "Accès : {scopes}, jusqu'au {date} inclus.",
        "en": "Access: {scopes}, until {date} included.",
        "ar": "الوصول: {scopes}، حتى {date} ضمنًا.",
    },
    "lawyer-access-recorded": {
        "fr": "Votre consultation est enregistrée et visible par votre client.",
        "en": "Your access is recorded and visible to your client.",
        "ar": "اطلاعك مسجَّل ويراه موكّلك.",
    },
    "lawyer-back": {
        "fr": "Retour à mes clients",
        "en": "Back to my clients",
        "ar": "العودة إلى موكّلي",
    },
}

_AGENT: dict[str, dict[str, str]] = {
    "agent-title": {"fr": "Dossiers", "en": "Files", "ar": "الملفات"},
    "agent-intro": {
        "fr": "Rechercher une personne dont le dossier est tenu par {office}.",
        "en": "Search for a person whose file is held by {office}.",
        "ar": "البحث عن شخص يحتفظ {office} بملفه.",
    },
    "agent-search-label": {
        "fr": "Nom ou prénom (au moins 2 lettres)",
        "en": "Family or given name (at least 2 letters)",
        "ar": "اللقب أو الاسم (حرفان على الأقل)",
    },
    "agent-search-submit": {"fr": "Rechercher", "en": "Search", "ar": "بحث"},
    "agent-results-heading": {"fr": "Résultats", "en": "Results", "ar": "النتائج"},
    "agent-no-results": {
        "fr": "Personne de votre direction ne porte ce nom.",
        "en": "Nobody of your office has this name.",
        "ar": "لا يوجد شخص بهذا الاسم في مديريتك.",
    },
    "agent-person-eyebrow": {"fr": "Dossier", "en": "File", "ar": "ملف"},
    "agent-access-recorded": {
        "fr": "Votre consultation est enregistrée et visible par la personne.",
        "en": "Your access is recorded and visible to the person.",
        "ar": "اطلاعك مسجَّل ويراه صاحب الملف.",
    },
    "agent-back": {"fr": "Nouvelle recherche", "en": "New search", "ar": "بحث جديد"},
    "prefecture-title": {
        "fr": "Vérifier une attestation",
        "en": "Check a certificate",
        "ar": "التحقق من شهادة",
    },
    "prefecture-intro": {
        "fr": (
            "Collez l'adresse lue dans le code QR de l'attestation (elle commence par http et "
            "contient /V/), ou scannez le code avec un téléphone."
        ),
        "en": (
            "Paste the address read from the certificate's QR code (it starts with http and "
            "contains /V/), or scan the code with a phone."
        ),
        "ar": (
            "الصق العنوان المقروء من رمز QR للشهادة (يبدأ بـ http ويحتوي على /V/)، أو امسح "
            "الرمز بهاتف."
        ),
    },
    "prefecture-history-explained": {
        "fr": (
            "Connecté, vous voyez en plus l'historique du statut de l'attestation : délivrance, "
            "remplacement, révocation, avec leurs dates et la catégorie du motif."
        ),
        "en": (
            "Signed in, you also see the certificate's status history: issue, replacement, "
            "revocation, with their dates and the category of the reason."
        ),
        "ar": (
            "بعد تسجيل الدخول، ترى أيضًا تاريخ حالة الشهادة: الإصدار والاستبدال والإلغاء، "
            "مع تواريخها وفئة السبب."
        ),
    },
    "prefecture-seal-label": {
        "fr": "Adresse du code QR",
        "en": "Address of the QR code",
        "ar": "عنوان رمز QR",
    },
    "prefecture-submit": {"fr": "Vérifier", "en": "Check", "ar": "تحقق"},
    "prefecture-error-seal": {
        "fr": "Ce texte n'est pas l'adresse d'un code QR de l'OFII. Copiez-la en entier.",
        "en": "This text is not the address of an OFII QR code. Copy all of it.",
        "ar": "هذا النص ليس عنوان رمز QR صادر عن OFII. انسخه كاملًا.",
    },
    "prefecture-recorded": {
        "fr": "Chaque vérification est enregistrée et visible par le titulaire.",
        "en": "Each check is recorded and visible to the holder.",
        "ar": "كل عملية تحقق مسجَّلة ويراها صاحب الشهادة.",
    },
    "prefecture-upload-link": {
        "fr": "Vérifier un fichier PDF à la place",
        "en": "Check a PDF file instead",
        "ar": "التحقق من ملف PDF بدلًا من ذلك",
    },
    "history-heading": {
        "fr": "Historique du statut",
        "en": "Status history",
        "ar": "تاريخ الحالة",
    },
    "history-hint": {
        "fr": "Visible des seuls agents de préfecture connectés.",
        "en": "Shown to signed-in prefecture agents only.",
        "ar": "لا يراه إلا موظفو المحافظة بعد تسجيل الدخول.",
    },
    "history-issued": {"fr": "Délivrée", "en": "Issued", "ar": "صدرت"},
    "history-replaces": {
        "fr": "Remplace l'attestation {id}",
        "en": "Replaces certificate {id}",
        "ar": "تحل محل الشهادة {id}",
    },
    "history-superseded": {
        "fr": "Remplacée par l'attestation {id}",
        "en": "Replaced by certificate {id}",
        "ar": "استُبدلت بالشهادة {id}",
    },
    "history-revoked": {
        "fr": "Révoquée. Motif : {reason}",
        "en": "Revoked. Reason: {reason}",
        "ar": "أُلغيت. السبب: {reason}",
    },
}

_ADMIN: dict[str, dict[str, str]] = {
    "admin-title": {"fr": "Comptes", "en": "Accounts", "ar": "الحسابات"},
    "admin-intro": {
        "fr": (
            "Les comptes et leur périmètre. Désactiver un compte ferme ses sessions tout de "
            "suite ; c'est enregistré au journal."
        ),
        "en": (
            "The accounts and their reach. Disabling an account ends its sessions at once; it "
            "is recorded in the log."
        ),
        "ar": "الحسابات ونطاقها. تعطيل حساب ينهي جلساته فورًا، ويُسجَّل ذلك في السجل.",
    },
    "admin-users-heading": {"fr": "Comptes", "en": "Accounts", "ar": "الحسابات"},
    "admin-totp": {
        "fr": "Second facteur :",
        "en": "Second factor:",
        "ar": "العامل الثاني:",
    },
    "admin-yes": {"fr": "oui", "en": "yes", "ar": "نعم"},
    "admin-no": {"fr": "non", "en": "no", "ar": "لا"},
    "admin-disabled-on": {
        "fr": "désactivé le {date}",
        "en": "disabled on {date}",
        "ar": "عُطّل بتاريخ {date}",
    },
    "admin-disable": {"fr": "Désactiver", "en": "Disable", "ar": "تعطيل"},
}

PORTAL_MESSAGES: dict[str, dict[str, str]] = {
    **_SHARED,
    **_PORTAL,
    **_MANDATES,
    **_LAWYER,
    **_AGENT,
    **_ADMIN,
}

"""Texts of the web pages, in French, English and Arabic (see verifier/i18n.py).

The readers are prefecture and court agents who must decide at a glance whether to accept a
paper, and migrants who often read French poorly: short sentences, the verdict first, then what
to do. Keys are grouped by page; ``type-*`` are the certificate types of signing/seal/_types.py,
``reason-*`` the revocation reasons of verifier/models.py and ``doc-*`` the reasons of
verifier/verification.py's document check, so a new code there needs one entry here (a test
walks the enums).
"""

from __future__ import annotations

__all__ = ["PAGE_MESSAGES"]

_LAYOUT: dict[str, dict[str, str]] = {
    "skip-to-content": {
        "fr": "Aller au contenu",
        "en": "Skip to content",
        "ar": "الانتقال إلى المحتوى",
    },
    "site-tagline": {
        "fr": "Vérification des attestations de l'OFII",
        "en": "Verification of OFII certificates",
        "ar": "التحقق من شهادات OFII",
    },
    "language-nav": {
        "fr": "Langue",
        "en": "Language",
        "ar": "اللغة",
    },
    "main-nav": {
        "fr": "Navigation principale",
        "en": "Main navigation",
        "ar": "التنقل الرئيسي",
    },
    "nav-home": {
        "fr": "Accueil",
        "en": "Home",
        "ar": "الصفحة الرئيسية",
    },
    "nav-upload": {
        "fr": "Vérifier un PDF",
        "en": "Verify a PDF",
        "ar": "التحقق من ملف PDF",
    },
    "nav-my-space": {"fr": "Mon espace", "en": "My space", "ar": "مساحتي"},
    "nav-sign-in": {"fr": "Se connecter", "en": "Sign in", "ar": "تسجيل الدخول"},
    "footer-text": {
        "fr": (
            "Office français de l'immigration et de l'intégration (OFII). Ce site ne pose que "
            "deux cookies : la langue choisie et, si vous vous connectez, votre session."
        ),
        "en": (
            "French Office for Immigration and Integration (OFII). This site sets two cookies "
            "only: the language chosen and, if you sign in, your session."
        ),
        "ar": (
            "المكتب الفرنسي للهجرة والاندماج (OFII). لا يضع هذا الموقع سوى ملفي تعريف "
            "ارتباط: اللغة المختارة، وجلستك إذا سجّلت الدخول."
        ),
    },
}

_HOME: dict[str, dict[str, str]] = {
    "home-title": {
        "fr": "Vérifier une attestation de l'OFII",
        "en": "Verify an OFII certificate",
        "ar": "التحقق من شهادة صادرة عن OFII",
    },
    "home-intro": {
        "fr": (
            "Sceau permet à chacun de vérifier qu'une attestation de l'Office français de "
            "l'immigration et de l'intégration est authentique et toujours en vigueur. Chaque "
            "attestation porte un code QR scellé par une signature numérique de l'OFII : "
            "scannez-le avec l'appareil photo d'un téléphone pour voir son état (valide, "
            "révoquée, remplacée ou expirée) et à qui elle a été délivrée. Le fichier PDF d'une "
            "attestation peut aussi être vérifié en le déposant ici."
        ),
        "en": (
            "Sceau lets anyone check that a certificate of the French Office for Immigration "
            "and Integration is genuine and still in force. Every certificate carries a QR code "
            "sealed by an OFII digital signature: scan it with a phone camera to see its status "
            "(valid, revoked, replaced or expired) and to whom it was issued. The PDF file of a "
            "certificate can also be checked by dropping it here."
        ),
        "ar": (
            "تتيح خدمة Sceau لأي شخص التحقق من أن شهادة صادرة عن المكتب الفرنسي للهجرة والاندماج "
            "أصلية ولا تزال سارية. تحمل كل شهادة رمز QR مختومًا بتوقيع رقمي من OFII: امسحه "
            "بكاميرا الهاتف لمعرفة حالتها (صالحة أو ملغاة أو مستبدَلة أو منتهية الصلاحية) ولمن "
            "صدرت. ويمكن أيضًا التحقق من ملف PDF للشهادة بإيداعه هنا."
        ),
    },
    "home-upload-link": {
        "fr": "Vérifier le fichier PDF d'une attestation",
        "en": "Verify the PDF file of a certificate",
        "ar": "التحقق من ملف PDF لشهادة",
    },
    "home-developers": {
        "fr": "Pour les services informatiques",
        "en": "For IT departments",
        "ar": "للمصالح المعلوماتية",
    },
    "home-trust-link": {
        "fr": "Liste de confiance des clés de l'OFII (vérification hors ligne)",
        "en": "Trust list of the OFII keys (offline verification)",
        "ar": "قائمة الثقة لمفاتيح OFII (التحقق دون اتصال)",
    },
    "home-api-link": {
        "fr": "Description de l'API de vérification (OpenAPI)",
        "en": "Description of the verification API (OpenAPI)",
        "ar": "وصف واجهة برمجة التحقق (OpenAPI)",
    },
}

_SEAL: dict[str, dict[str, str]] = {
    "seal-heading": {
        "fr": "Vérification d'une attestation",
        "en": "Certificate check",
        "ar": "التحقق من شهادة",
    },
    "status-valid-title": {
        "fr": "Attestation valide",
        "en": "Valid certificate",
        "ar": "شهادة صالحة",
    },
    "status-valid-text": {
        "fr": (
            "Cette attestation a été délivrée par l'OFII et elle est en vigueur. Vérifiez que "
            "les informations ci-dessous sont celles du document présenté et de la personne."
        ),
        "en": (
            "This certificate was issued by OFII and is in force. Check that the details "
            "below match the document shown and the person."
        ),
        "ar": (
            "صدرت هذه الشهادة عن OFII وهي سارية المفعول. تأكد من أن المعلومات أدناه مطابقة "
            "للوثيقة المقدَّمة وللشخص."
        ),
    },
    "status-revoked-title": {
        "fr": "Attestation révoquée",
        "en": "Revoked certificate",
        "ar": "شهادة ملغاة",
    },
    "status-revoked-text": {
        "fr": "L'OFII a révoqué cette attestation le {date}. Motif : {reason}.",
        "en": "OFII revoked this certificate on {date}. Reason: {reason}.",
        "ar": "ألغى OFII هذه الشهادة بتاريخ {date}. السبب: {reason}.",
    },
    "status-revoked-action": {
        "fr": "Ce document ne doit plus être accepté.",
        "en": "This document must no longer be accepted.",
        "ar": "يجب عدم قبول هذه الوثيقة بعد الآن.",
    },
    "status-superseded-title": {
        "fr": "Attestation remplacée",
        "en": "Replaced certificate",
        "ar": "شهادة مستبدَلة",
    },
    "status-superseded-text": {
        "fr": "L'OFII a remplacé cette attestation par une attestation plus récente.",
        "en": "OFII has replaced this certificate with a more recent one.",
        "ar": "استبدل OFII هذه الشهادة بشهادة أحدث.",
    },
    "status-superseded-action": {
        "fr": "Demandez à son titulaire la nouvelle attestation et vérifiez-la.",
        "en": "Ask its holder for the new certificate and check that one.",
        "ar": "اطلب من صاحبها الشهادة الجديدة وتحقق منها.",
    },
    "status-expired-title": {
        "fr": "Attestation expirée",
        "en": "Expired certificate",
        "ar": "شهادة منتهية الصلاحية",
    },
    "status-expired-text": {
        "fr": "Cette attestation n'est plus en vigueur depuis le {date}.",
        "en": "This certificate has no longer been in force since {date}.",
        "ar": "لم تعد هذه الشهادة سارية منذ {date}.",
    },
    "status-expired-action": {
        "fr": "Elle prouve seulement ce qui était vrai pendant sa période de validité.",
        "en": "It only proves what was true during its period of validity.",
        "ar": "لا تثبت إلا ما كان صحيحًا خلال مدة صلاحيتها.",
    },
    "status-not-genuine-title": {
        "fr": "Attestation non authentique",
        "en": "Certificate not genuine",
        "ar": "شهادة غير أصلية",
    },
    "status-not-genuine-text": {
        "fr": (
            "Ce code n'a pas été scellé par l'OFII, ou il a été modifié : les informations "
            "qu'il contient ne sont pas fiables et ne sont pas affichées."
        ),
        "en": (
            "This code was not sealed by OFII, or it was altered: the details it holds cannot "
            "be trusted and are not shown."
        ),
        "ar": (
            "لم يُختم هذا الرمز من قبل OFII أو تم تعديله: المعلومات التي يحتويها غير موثوقة "
            "ولذلك لا تُعرض."
        ),
    },
    "status-not-genuine-action": {
        "fr": (
            "N'acceptez pas ce document. Si le code a pu être mal lu, scannez-le à nouveau ; "
            "en cas de doute, contactez l'OFII."
        ),
        "en": (
            "Do not accept this document. If the code may have been misread, scan it again; "
            "if in doubt, contact OFII."
        ),
        "ar": (
            "لا تقبل هذه الوثيقة. إذا كان من الممكن أن يكون الرمز قد قُرئ بشكل خاطئ فامسحه "
            "مرة أخرى؛ وفي حالة الشك، اتصل بـ OFII."
        ),
    },
    "status-not-trusted-title": {
        "fr": "Attestation non fiable",
        "en": "Certificate not trusted",
        "ar": "شهادة غير موثوقة",
    },
    "status-not-trusted-text": {
        "fr": (
            "Ce code a été scellé avec une clé que l'OFII a révoquée ({reason}) : ses "
            "informations ne sont pas fiables et ne sont pas affichées."
        ),
        "en": (
            "This code was sealed with a key OFII has revoked ({reason}): the details it holds "
            "cannot be trusted and are not shown."
        ),
        "ar": (
            "خُتم هذا الرمز بمفتاح ألغاه OFII ({reason}): المعلومات التي يحتويها غير موثوقة "
            "ولذلك لا تُعرض."
        ),
    },
    "status-not-trusted-action": {
        "fr": (
            "N'acceptez pas ce document en l'état. Son titulaire peut demander à l'OFII une "
            "nouvelle attestation."
        ),
        "en": (
            "Do not accept this document as it is. Its holder can ask OFII for a new certificate."
        ),
        "ar": "لا تقبل هذه الوثيقة على حالها. يمكن لصاحبها أن يطلب من OFII شهادة جديدة.",
    },
    "key-reason-unknown": {
        "fr": "raison non précisée",
        "en": "no reason given",
        "ar": "دون ذكر السبب",
    },
    "status-unregistered-title": {
        "fr": "Attestation absente du registre",
        "en": "Certificate not in the register",
        "ar": "شهادة غير مسجَّلة في السجل",
    },
    "status-unregistered-text": {
        "fr": (
            "La signature du code est authentique, mais cette attestation ne figure pas au "
            "registre de l'OFII. Elle ne doit pas être considérée comme valable."
        ),
        "en": (
            "The code's signature is genuine, but this certificate is not in the OFII "
            "register. It must not be treated as valid."
        ),
        "ar": "توقيع الرمز أصلي، لكن هذه الشهادة غير مسجَّلة في سجل OFII. لا يجوز اعتبارها صالحة.",
    },
    "status-unregistered-action": {
        "fr": "Contactez l'OFII pour savoir ce qu'il en est.",
        "en": "Contact OFII to find out more.",
        "ar": "اتصل بـ OFII لمعرفة المزيد.",
    },
    "icon-valid": {
        "fr": "Coche : valide",
        "en": "Tick: valid",
        "ar": "علامة صح: صالحة",
    },
    "icon-warning": {
        "fr": "Avertissement : n'est plus valable",
        "en": "Warning: no longer valid",
        "ar": "تحذير: لم تعد صالحة",
    },
    "icon-stop": {
        "fr": "Croix : à refuser",
        "en": "Cross: to be refused",
        "ar": "علامة خطأ: يجب رفضها",
    },
    "details-heading": {
        "fr": "Informations de l'attestation",
        "en": "Certificate details",
        "ar": "بيانات الشهادة",
    },
    "details-from-seal": {
        "fr": "Informations lues dans le code, en majuscules sans accents, non confirmées.",
        "en": "Details read from the code, in capitals without accents, not confirmed.",
        "ar": "بيانات مقروءة من الرمز، بأحرف كبيرة دون علامات، وغير مؤكَّدة.",
    },
    "compare-hint": {
        "fr": "Comparez le nom et la date de naissance avec une pièce d'identité du titulaire.",
        "en": "Compare the name and date of birth with an identity document of the holder.",
        "ar": "قارن الاسم وتاريخ الميلاد مع وثيقة هوية صاحب الشهادة.",
    },
    "field-type": {
        "fr": "Type d'attestation",
        "en": "Type of certificate",
        "ar": "نوع الشهادة",
    },
    "field-family-name": {
        "fr": "Nom",
        "en": "Family name",
        "ar": "اسم العائلة",
    },
    "field-given-names": {
        "fr": "Prénoms",
        "en": "Given names",
        "ar": "الأسماء الشخصية",
    },
    "field-birth-date": {
        "fr": "Date de naissance",
        "en": "Date of birth",
        "ar": "تاريخ الميلاد",
    },
    "field-issued-on": {
        "fr": "Délivrée le",
        "en": "Issued on",
        "ar": "تاريخ الإصدار",
    },
    "field-valid-until": {
        "fr": "Valable jusqu'au",
        "en": "Valid until",
        "ar": "صالحة حتى",
    },
    "field-office": {
        "fr": "Service émetteur",
        "en": "Issuing office",
        "ar": "الجهة المُصدِرة",
    },
    "field-code": {
        "fr": "Code de vérification",
        "en": "Verification code",
        "ar": "رمز التحقق",
    },
    "no-end-date": {
        "fr": "sans date de fin",
        "en": "no end date",
        "ar": "بدون تاريخ انتهاء",
    },
    "no-name": {
        "fr": "(aucun)",
        "en": "(none)",
        "ar": "(لا يوجد)",
    },
    "seal-unreadable": {
        "fr": (
            "Ce lien de vérification est incomplet ou abîmé. Scannez à nouveau le code QR de "
            "l'attestation, sans modifier l'adresse."
        ),
        "en": (
            "This verification link is incomplete or damaged. Scan the certificate's QR code "
            "again, without editing the address."
        ),
        "ar": (
            "رابط التحقق هذا ناقص أو تالف. امسح رمز QR الخاص بالشهادة مرة أخرى دون تعديل العنوان."
        ),
    },
}

_TYPES: dict[str, dict[str, str]] = {
    "type-vls-ts-validation": {
        "fr": "Validation du visa long séjour (VLS-TS)",
        "en": "Long-stay visa validation (VLS-TS)",
        "ar": "المصادقة على تأشيرة الإقامة الطويلة (VLS-TS)",
    },
    "type-medical-visit": {
        "fr": "Visite médicale",
        "en": "Medical examination",
        "ar": "الفحص الطبي",
    },
    "type-cir-signature": {
        "fr": "Signature du contrat d'intégration républicaine (CIR)",
        "en": "Republican Integration Contract signed (CIR)",
        "ar": "توقيع عقد الاندماج الجمهوري (CIR)",
    },
    "type-civic-training": {
        "fr": "Formation civique",
        "en": "Civic training",
        "ar": "التكوين المدني",
    },
    "type-language-training": {
        "fr": "Formation linguistique",
        "en": "Language training",
        "ar": "التكوين اللغوي",
    },
    "type-life-in-france": {
        "fr": "Session « Vivre en France »",
        "en": "'Living in France' session",
        "ar": "جلسة «العيش في فرنسا»",
    },
    "type-family-reunification-deposit": {
        "fr": "Dépôt d'une demande de regroupement familial",
        "en": "Family reunification application filed",
        "ar": "إيداع طلب لمّ الشمل العائلي",
    },
    "type-asylum-reception": {
        "fr": "Conditions matérielles d'accueil (demande d'asile)",
        "en": "Material reception conditions (asylum)",
        "ar": "ظروف الاستقبال المادية (اللجوء)",
    },
    "type-skills-orientation": {
        "fr": "Orientation vers un bilan de compétences",
        "en": "Referral to a skills assessment",
        "ar": "التوجيه نحو تقييم الكفاءات المهنية",
    },
    "type-convocation": {
        "fr": "Convocation",
        "en": "Appointment letter",
        "ar": "استدعاء",
    },
}

_REVOCATION_REASONS: dict[str, dict[str, str]] = {
    "reason-issued-in-error": {
        "fr": "délivrée par erreur",
        "en": "issued in error",
        "ar": "صدرت عن طريق الخطأ",
    },
    "reason-data-corrected": {
        "fr": "informations corrigées",
        "en": "details corrected",
        "ar": "تصحيح البيانات",
    },
    "reason-fraud": {
        "fr": "fraude",
        "en": "fraud",
        "ar": "احتيال",
    },
    "reason-withdrawn": {
        "fr": "décision retirée",
        "en": "underlying decision withdrawn",
        "ar": "سحب القرار الذي تستند إليه",
    },
    "reason-other": {
        "fr": "autre motif",
        "en": "other reason",
        "ar": "سبب آخر",
    },
}

_UPLOAD: dict[str, dict[str, str]] = {
    "upload-title": {
        "fr": "Vérifier le fichier PDF d'une attestation",
        "en": "Verify the PDF file of a certificate",
        "ar": "التحقق من ملف PDF لشهادة",
    },
    "upload-intro": {
        "fr": (
            "Déposez le fichier PDF d'une attestation, reçu par courriel ou téléchargé : Sceau "
            "vérifie qu'il est exactement celui que l'OFII a délivré, et dit son état."
        ),
        "en": (
            "Drop the PDF file of a certificate, received by e-mail or downloaded: Sceau checks "
            "that it is exactly the one OFII issued, and tells its status."
        ),
        "ar": (
            "أودِع ملف PDF لشهادة، وصلك بالبريد الإلكتروني أو قمت بتنزيله: تتحقق Sceau من أنه "
            "مطابق تمامًا للملف الذي أصدره OFII، وتبيّن حالته."
        ),
    },
    "upload-label": {
        "fr": "Fichier PDF (au plus {limit} Mo)",
        "en": "PDF file (at most {limit} MB)",
        "ar": "ملف PDF (بحد أقصى {limit} ميغابايت)",
    },
    "upload-submit": {
        "fr": "Vérifier",
        "en": "Verify",
        "ar": "تحقّق",
    },
    "upload-privacy": {
        "fr": "Le fichier n'est pas conservé : seul le résultat de la vérification est compté.",
        "en": "The file is not kept: only the outcome of the check is counted.",
        "ar": "لا يُحتفظ بالملف: تُحتسب نتيجة التحقق فقط.",
    },
    "upload-paper-hint": {
        "fr": "Pour une attestation sur papier, scannez plutôt son code QR avec un téléphone.",
        "en": "For a certificate on paper, scan its QR code with a phone instead.",
        "ar": "بالنسبة لشهادة ورقية، امسح رمز QR الخاص بها بالهاتف بدلًا من ذلك.",
    },
    "upload-again": {
        "fr": "Vérifier un autre fichier",
        "en": "Verify another file",
        "ar": "التحقق من ملف آخر",
    },
    "upload-no-file": {
        "fr": "Aucun fichier reçu : choisissez un fichier PDF, puis cliquez sur « Vérifier ».",
        "en": "No file received: choose a PDF file, then click 'Verify'.",
        "ar": "لم يُستلم أي ملف: اختر ملف PDF ثم انقر على «تحقّق».",
    },
    "upload-empty-file": {
        "fr": "Le fichier reçu est vide. Choisissez le fichier PDF de l'attestation.",
        "en": "The file received is empty. Choose the certificate's PDF file.",
        "ar": "الملف المستلم فارغ. اختر ملف PDF الخاص بالشهادة.",
    },
    "upload-not-a-pdf": {
        "fr": (
            "Ce fichier n'est pas un PDF. Seul le fichier PDF d'une attestation de l'OFII peut "
            "être vérifié ici ; pour une photo ou un papier, scannez le code QR."
        ),
        "en": (
            "This file is not a PDF. Only the PDF file of an OFII certificate can be checked "
            "here; for a photo or a paper, scan the QR code."
        ),
        "ar": (
            "هذا الملف ليس ملف PDF. لا يمكن التحقق هنا إلا من ملف PDF لشهادة صادرة عن OFII؛ "
            "أما الصورة أو الورقة فامسح رمز QR الخاص بها."
        ),
    },
    "result-heading": {
        "fr": "Résultat de la vérification du fichier",
        "en": "Result of the file check",
        "ar": "نتيجة التحقق من الملف",
    },
    "match-exact-match-title": {
        "fr": "Fichier authentique et intact",
        "en": "Genuine, untouched file",
        "ar": "ملف أصلي وسليم",
    },
    "match-exact-match-text": {
        "fr": "Ce fichier est exactement celui que l'OFII a délivré.",
        "en": "This file is exactly the one OFII issued.",
        "ar": "هذا الملف مطابق تمامًا للملف الذي أصدره OFII.",
    },
    "match-modified-title": {
        "fr": "Fichier modifié",
        "en": "Modified file",
        "ar": "ملف معدَّل",
    },
    "match-modified-text": {
        "fr": (
            "Ce fichier n'est pas celui que l'OFII a délivré : il a été modifié. Ne vous fiez "
            "pas à son contenu ; demandez l'original ou scannez le code QR de l'attestation."
        ),
        "en": (
            "This file is not the one OFII issued: it was modified. Do not rely on its "
            "content; ask for the original or scan the certificate's QR code."
        ),
        "ar": (
            "هذا الملف ليس الملف الذي أصدره OFII: لقد تم تعديله. لا تعتمد على محتواه؛ اطلب "
            "الأصل أو امسح رمز QR الخاص بالشهادة."
        ),
    },
    "match-unknown-title": {
        "fr": "Fichier inconnu",
        "en": "Unknown file",
        "ar": "ملف غير معروف",
    },
    "match-unknown-text": {
        "fr": (
            "Ce fichier ne correspond à aucune attestation délivrée par l'OFII. Ne l'acceptez "
            "pas comme une attestation de l'OFII ; en cas de doute, contactez l'OFII."
        ),
        "en": (
            "This file matches no certificate issued by OFII. Do not accept it as an OFII "
            "certificate; if in doubt, contact OFII."
        ),
        "ar": (
            "لا يطابق هذا الملف أي شهادة صادرة عن OFII. لا تقبله كشهادة صادرة عن OFII؛ وفي "
            "حالة الشك، اتصل بـ OFII."
        ),
    },
    "findings-heading": {
        "fr": "Constats",
        "en": "Findings",
        "ar": "الملاحظات",
    },
    "certificate-heading": {
        "fr": "État de l'attestation selon le registre",
        "en": "Status of the certificate according to the register",
        "ar": "حالة الشهادة حسب السجل",
    },
    "original-heading": {
        "fr": "Attestation d'origine selon le registre",
        "en": "Original certificate according to the register",
        "ar": "الشهادة الأصلية حسب السجل",
    },
    "doc-content-appended-after-signing": {
        "fr": "Du contenu a été ajouté au fichier après sa signature par l'OFII.",
        "en": "Content was added to the file after OFII signed it.",
        "ar": "أُضيف محتوى إلى الملف بعد توقيعه من قبل OFII.",
    },
    "doc-signed-content-altered": {
        "fr": "Le contenu signé par l'OFII a été altéré.",
        "en": "The content OFII signed was altered.",
        "ar": "تم تغيير المحتوى الذي وقّعه OFII.",
    },
    "doc-signature-invalid": {
        "fr": "La signature électronique n'est pas valide.",
        "en": "The electronic signature is not valid.",
        "ar": "التوقيع الإلكتروني غير صالح.",
    },
    "doc-signer-not-trusted": {
        "fr": "Le signataire n'est pas une autorité de confiance de l'OFII.",
        "en": "The signer is not an authority OFII trusts.",
        "ar": "الموقِّع ليس جهة يثق بها OFII.",
    },
    "doc-not-signed": {
        "fr": "Le fichier ne porte aucune signature électronique.",
        "en": "The file carries no electronic signature.",
        "ar": "لا يحمل الملف أي توقيع إلكتروني.",
    },
    "doc-signature-unreadable": {
        "fr": "La signature électronique du fichier est illisible.",
        "en": "The file's electronic signature cannot be read.",
        "ar": "تعذّرت قراءة التوقيع الإلكتروني للملف.",
    },
    "doc-not-in-register": {
        "fr": "Le fichier est signé, mais il ne figure pas au registre de l'OFII.",
        "en": "The file is signed, but it is not in the OFII register.",
        "ar": "الملف موقَّع، لكنه غير مسجَّل في سجل OFII.",
    },
}

_ERRORS: dict[str, dict[str, str]] = {
    "error-heading": {
        "fr": "Erreur {status}",
        "en": "Error {status}",
        "ar": "خطأ {status}",
    },
    "back-home": {
        "fr": "Retour à l'accueil",
        "en": "Back to the home page",
        "ar": "العودة إلى الصفحة الرئيسية",
    },
}

PAGE_MESSAGES: dict[str, dict[str, str]] = {
    **_LAYOUT,
    **_HOME,
    **_SEAL,
    **_TYPES,
    **_REVOCATION_REASONS,
    **_UPLOAD,
    **_ERRORS,
}

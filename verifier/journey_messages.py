"""Texts of the journey pages (trainings, appointments, correspondence, uploads) in French,
English and Arabic (see verifier/i18n.py).

``intake-<code>`` is one sentence per refusal code of the intake (bundles/errors.py
IntakeError), so that a refused file is explained in the visitor's language;
``intake-removed-<code>`` names what the intake stripped from an accepted file. The enum
values of verifier/models.py (training kinds, attendance, purposes, statuses, directions,
channels) each have their words here: a test walks the enums.
"""

from __future__ import annotations

__all__ = ["JOURNEY_MESSAGES"]


def _t(fr: str, en: str, ar: str) -> dict[str, str]:
    return {"fr": fr, "en": en, "ar": ar}


_INTAKE: dict[str, dict[str, str]] = {
    "intake-refused": _t(
        "Le fichier « {name} » est refusé : {reason} Rien n'a été enregistré.",
        "The file “{name}” is refused: {reason} Nothing was saved.",
        "تم رفض الملف «{name}»: {reason} لم يُحفظ أي شيء.",
    ),
    "intake-empty": _t(
        "il est vide (0 octet).",
        "it is empty (0 bytes).",
        "الملف فارغ (0 بايت).",
    ),
    "intake-too-large": _t(
        "il est trop volumineux.",
        "it is too large.",
        "حجمه كبير جدًا.",
    ),
    "intake-too-many-pages": _t(
        "il a trop de pages.",
        "it has too many pages.",
        "عدد صفحاته كبير جدًا.",
    ),
    "intake-unknown-type": _t(
        "ce type de fichier n'est pas accepté (PDF, JPEG, PNG, HEIC ou e-mail .eml seulement).",
        "this type of file is not accepted (PDF, JPEG, PNG, HEIC or .eml e-mail only).",
        "نوع الملف غير مقبول (PDF أو JPEG أو PNG أو HEIC أو بريد ‎.eml فقط).",
    ),
    "intake-type-mismatch": _t(
        "son contenu ne correspond pas à son extension (par exemple une image nommée .pdf).",
        "its content does not match its extension (for example an image named .pdf).",
        "محتواه لا يطابق امتداده (مثلاً صورة باسم ‎.pdf).",
    ),
    "intake-polyglot": _t(
        "il contient deux types de fichier à la fois ; enregistrez-le à nouveau au bon format.",
        "it is two types of file at once; save it again in the right format.",
        "يحتوي على نوعين من الملفات في آن واحد؛ احفظه من جديد بالصيغة الصحيحة.",
    ),
    "intake-encrypted": _t(
        "il est protégé par un mot de passe ou chiffré ; envoyez une version sans protection.",
        "it is password-protected or encrypted; send a copy without protection.",
        "إنه محمي بكلمة مرور أو مشفّر؛ أرسل نسخة بدون حماية.",
    ),
    "intake-damaged": _t(
        "il est endommagé ou incomplet ; envoyez-le à nouveau.",
        "it is damaged or incomplete; send it again.",
        "الملف تالف أو ناقص؛ أرسله مرة أخرى.",
    ),
    "intake-image-too-large": _t(
        "l'image a trop de pixels ; réduisez-la ou prenez une nouvelle photo.",
        "the image has too many pixels; make it smaller or take a new photo.",
        "الصورة تحتوي على عدد كبير جدًا من البكسلات؛ صغّرها أو التقط صورة جديدة.",
    ),
    "intake-eml-malformed": _t(
        "cet e-mail est illisible (il lui manque l'expéditeur ou la date).",
        "this e-mail cannot be read (it lacks the sender or the date).",
        "لا يمكن قراءة هذا البريد (ينقصه المرسل أو التاريخ).",
    ),
    "intake-eml-nested": _t(
        "cet e-mail contient trop d'e-mails imbriqués.",
        "this e-mail contains e-mails nested too deep.",
        "يحتوي هذا البريد على رسائل متداخلة أكثر من اللازم.",
    ),
    "intake-too-many-attachments": _t(
        "cet e-mail a trop de pièces jointes.",
        "this e-mail has too many attachments.",
        "هذا البريد يحتوي على عدد كبير جدًا من المرفقات.",
    ),
    "intake-too-many-files": _t(
        "un envoi compte au plus 5 fichiers.",
        "one form takes at most 5 files.",
        "يقبل النموذج 5 ملفات على الأكثر.",
    ),
    "intake-removed-javascript": _t("JavaScript", "JavaScript", "JavaScript"),
    "intake-removed-launch-action": _t("lancement de programme", "program launch", "تشغيل برنامج"),
    "intake-removed-submit-form": _t("envoi de formulaire", "form submission", "إرسال نموذج"),
    "intake-removed-import-data": _t("import de données", "data import", "استيراد بيانات"),
    "intake-removed-other-actions": _t("actions", "actions", "إجراءات"),
    "intake-removed-open-action": _t(
        "action à l'ouverture", "action on opening", "إجراء عند الفتح"
    ),
    "intake-removed-additional-actions": _t(
        "actions automatiques", "automatic actions", "إجراءات تلقائية"
    ),
    "intake-removed-embedded-files": _t("fichiers incorporés", "embedded files", "ملفات مضمّنة"),
    "intake-removed-xfa": _t("formulaire XFA", "XFA form", "نموذج XFA"),
    "intake-removed-media": _t("média", "media", "وسائط"),
    "intake-removed-exif": _t(
        "métadonnées de la photo", "photo metadata", "البيانات الوصفية للصورة"
    ),
    "intake-removed-gps": _t("position GPS", "GPS location", "الموقع الجغرافي"),
    "intake-removed-attachment-refused": _t(
        "une pièce jointe refusée", "a refused attachment", "مرفق مرفوض"
    ),
}

_ENUMS: dict[str, dict[str, str]] = {
    "training-kind-civic": _t("Formation civique", "Civic training", "التكوين المدني"),
    "training-kind-language": _t("Formation linguistique", "Language training", "التكوين اللغوي"),
    "training-kind-life-in-france": _t(
        "Session « Vivre en France »", "“Living in France” session", "جلسة «العيش في فرنسا»"
    ),
    "training-kind-skills-orientation": _t(
        "Orientation vers un bilan de compétences",
        "Referral to a skills assessment",
        "التوجيه نحو تقييم الكفاءات",
    ),
    "attendance-present": _t("présent", "present", "حاضر"),
    "attendance-absent": _t("absent", "absent", "غائب"),
    "attendance-excused": _t("absence excusée", "excused", "غياب مبرَّر"),
    "purpose-reception-interview": _t(
        "Entretien d'accueil", "Reception interview", "مقابلة الاستقبال"
    ),
    "purpose-medical-visit": _t("Visite médicale", "Medical visit", "الفحص الطبي"),
    "purpose-cir-signature": _t(
        "Signature du CIR", "Signing the integration contract", "توقيع عقد الاندماج"
    ),
    "purpose-training": _t("Formation", "Training", "تكوين"),
    "purpose-end-of-contract-interview": _t(
        "Entretien de fin de contrat", "End-of-contract interview", "مقابلة نهاية العقد"
    ),
    "purpose-other": _t("Autre", "Other", "أخرى"),
    "appointment-status-scheduled": _t("prévu", "scheduled", "مقرَّر"),
    "appointment-status-attended": _t("honoré", "attended", "تم الحضور"),
    "appointment-status-missed": _t("manqué", "missed", "لم يحضر"),
    "appointment-status-rescheduled": _t("reporté", "rescheduled", "أُجِّل"),
    "appointment-status-cancelled": _t("annulé", "cancelled", "أُلغي"),
    "direction-sent": _t("envoyé par la personne", "sent by the person", "أرسله الشخص"),
    "direction-received": _t("reçu par la personne", "received by the person", "استلمه الشخص"),
    "channel-post": _t("courrier simple", "post", "بريد عادي"),
    "channel-registered-mail": _t("lettre recommandée", "registered mail", "رسالة مضمونة"),
    "channel-email": _t("e-mail", "e-mail", "بريد إلكتروني"),
    "channel-hand-delivery": _t("remise en main propre", "hand delivery", "تسليم باليد"),
    "access-action-journey": _t(
        "a consulté le parcours d'intégration",
        "opened the integration journey",
        "اطّلع على مسار الاندماج",
    ),
    "access-action-correspondence": _t(
        "a consulté les courriers", "opened the correspondence", "اطّلع على المراسلات"
    ),
    "access-action-file-download": _t(
        "a téléchargé un document", "downloaded a document", "نزّل وثيقة"
    ),
    "access-action-api-journey": _t(
        "a consulté le parcours (service informatique)",
        "read the journey (computer service)",
        "اطّلع على المسار (خدمة معلوماتية)",
    ),
}

_ERRORS: dict[str, dict[str, str]] = {
    "journey-error-too-long": _t(
        "Un champ est trop long ou contient des caractères invalides.",
        "A field is too long or contains invalid characters.",
        "أحد الحقول طويل جدًا أو يحتوي على رموز غير صالحة.",
    ),
    "journey-error-kind": _t(
        "Choisissez le type de formation.", "Choose the kind of training.", "اختر نوع التكوين."
    ),
    "journey-error-days": _t("Trop de journées.", "Too many days.", "عدد الأيام كبير جدًا."),
    "journey-error-day-twice": _t(
        "La même journée est saisie deux fois.",
        "The same day is given twice.",
        "أُدخل اليوم نفسه مرتين.",
    ),
    "journey-error-day-date": _t(
        "Date de journée invalide.", "Invalid day date.", "تاريخ يوم غير صالح."
    ),
    "journey-error-hours": _t(
        "Une journée compte de 1 à 12 heures.",
        "A day has 1 to 12 hours.",
        "يضم اليوم من 1 إلى 12 ساعة.",
    ),
    "journey-error-attendance": _t(
        "Présence inconnue.", "Unknown attendance mark.", "حالة حضور غير معروفة."
    ),
    "journey-error-exemption": _t(
        "Indiquez le motif de la dispense.",
        "Give the reason for the exemption.",
        "اذكر سبب الإعفاء.",
    ),
    "journey-error-hours-prescribed": _t(
        "Heures prescrites : 100, 200, 400 ou 600.",
        "Hours prescribed: 100, 200, 400 or 600.",
        "الساعات المقررة: 100 أو 200 أو 400 أو 600.",
    ),
    "journey-error-hours-attended": _t(
        "Heures suivies : de 0 au nombre d'heures prescrites.",
        "Hours attended: from 0 to the hours prescribed.",
        "الساعات المنجزة: من 0 إلى عدد الساعات المقررة.",
    ),
    "journey-error-no-present-day": _t(
        "Aucune journée n'est marquée « présent » : il n'y a rien à attester.",
        "No day is marked “present”: there is nothing to certify.",
        "لا يوجد يوم مسجّل «حاضر»: لا شيء يمكن إثباته.",
    ),
    "journey-error-no-day": _t(
        "Indiquez la date (une journée).",
        "Give the date (one day row).",
        "أدخل التاريخ (يومًا واحدًا).",
    ),
    "journey-error-missing-title": _t(
        "Indiquez l'intitulé de la session.", "Give the session's title.", "أدخل عنوان الجلسة."
    ),
    "journey-error-missing-place": _t(
        "Indiquez le lieu de la formation.", "Give the place of the training.", "أدخل مكان التكوين."
    ),
    "journey-error-missing-provider": _t(
        "Indiquez l'organisme.", "Give the provider.", "أدخل الجهة المنظِّمة."
    ),
    "journey-error-missing-assessment_result": _t(
        "Indiquez le résultat du test de positionnement.",
        "Give the assessment result.",
        "أدخل نتيجة اختبار تحديد المستوى.",
    ),
    "journey-error-cannot-issue": _t(
        "L'attestation ne peut pas être émise avec ces données.",
        "The certificate cannot be issued with these data.",
        "لا يمكن إصدار الشهادة بهذه البيانات.",
    ),
    "journey-error-purpose": _t(
        "Choisissez l'objet du rendez-vous.", "Choose the purpose.", "اختر موضوع الموعد."
    ),
    "journey-error-at": _t(
        "Indiquez la date et l'heure (heure de Paris).",
        "Give the date and time (Paris time).",
        "أدخل التاريخ والساعة (بتوقيت باريس).",
    ),
    "journey-error-place": _t("Indiquez le lieu.", "Give the place.", "أدخل المكان."),
    "journey-error-status": _t("Statut inconnu.", "Unknown status.", "حالة غير معروفة."),
    "journey-error-status-final": _t(
        "Ce rendez-vous n'est plus prévu : son issue est déjà enregistrée.",
        "This appointment is no longer scheduled: its outcome is already recorded.",
        "هذا الموعد لم يعد مقررًا: نتيجته مسجلة مسبقًا.",
    ),
    "journey-error-future": _t(
        "La date ne peut pas être dans le futur.",
        "The date cannot be in the future.",
        "لا يمكن أن يكون التاريخ في المستقبل.",
    ),
    "journey-error-date-on": _t(
        "Indiquez la date du courrier.", "Give the letter's date.", "أدخل تاريخ الرسالة."
    ),
    "journey-error-date-acknowledged_on": _t(
        "Date de l'accusé de réception invalide.",
        "Invalid date of the acknowledgment of receipt.",
        "تاريخ إشعار الاستلام غير صالح.",
    ),
    "journey-error-direction": _t("Choisissez le sens.", "Choose the direction.", "اختر الاتجاه."),
    "journey-error-channel": _t(
        "Choisissez le mode d'envoi.", "Choose the channel.", "اختر وسيلة الإرسال."
    ),
    "journey-error-missing-sender": _t(
        "Indiquez l'expéditeur.", "Give the sender.", "أدخل المرسل."
    ),
    "journey-error-missing-recipient": _t(
        "Indiquez le destinataire.", "Give the recipient.", "أدخل المرسل إليه."
    ),
    "journey-error-missing-subject": _t("Indiquez l'objet.", "Give the subject.", "أدخل الموضوع."),
    "journey-error-not-registered": _t(
        "Numéro de suivi et accusé de réception : pour une lettre recommandée seulement.",
        "Tracking number and acknowledgment: for registered mail only.",
        "رقم التتبع وإشعار الاستلام: للرسائل المضمونة فقط.",
    ),
    "journey-error-acknowledged": _t(
        "L'accusé de réception ne peut pas précéder l'envoi.",
        "The acknowledgment cannot come before the letter.",
        "لا يمكن أن يسبق إشعار الاستلام تاريخ الإرسال.",
    ),
}

_PAGES: dict[str, dict[str, str]] = {
    "journey-nav": _t("Parties du dossier", "Parts of the file", "أقسام الملف"),
    "journey-nav-person": _t("Dossier", "File", "الملف"),
    "journey-nav-trainings": _t("Formations", "Trainings", "التكوينات"),
    "journey-nav-appointments": _t("Rendez-vous", "Appointments", "المواعيد"),
    "journey-nav-correspondence": _t("Courriers", "Correspondence", "المراسلات"),
    "journey-assessment": _t(
        "Résultat du test de positionnement", "Assessment result", "نتيجة اختبار تحديد المستوى"
    ),
    "journey-hours-prescribed": _t("Heures prescrites", "Hours prescribed", "الساعات المقررة"),
    "journey-hours-attended": _t("Heures suivies", "Hours attended", "الساعات المنجزة"),
    "journey-level": _t("Niveau atteint", "Level reached", "المستوى المحقق"),
    "journey-exempt": _t("Dispense", "Exempt", "إعفاء"),
    "journey-exemption-reason": _t(
        "Motif de la dispense", "Reason for the exemption", "سبب الإعفاء"
    ),
    "trainings-title": _t("Formations", "Trainings", "التكوينات"),
    "trainings-heading": _t("Formations enregistrées", "Trainings recorded", "التكوينات المسجلة"),
    "trainings-none": _t(
        "Aucune formation enregistrée.", "No training recorded.", "لا يوجد تكوين مسجل."
    ),
    "training-open": _t("Ouvrir", "Open", "فتح"),
    "training-hours-summary": _t(
        "{present} h suivies sur {planned} h",
        "{present} h attended out of {planned} h",
        "{present} ساعة منجزة من أصل {planned} ساعة",
    ),
    "training-add-heading": _t("Enregistrer une formation", "Record a training", "تسجيل تكوين"),
    "training-kind": _t("Type", "Kind", "النوع"),
    "training-title-field": _t("Intitulé de la session", "Session title", "عنوان الجلسة"),
    "training-provider": _t("Organisme", "Provider", "الجهة المنظِّمة"),
    "training-place": _t("Lieu", "Place", "المكان"),
    "training-days": _t("Journées", "Days", "الأيام"),
    "training-days-hint": _t(
        "Les lignes sans date sont ignorées. Orientation : une ligne, la date d'orientation.",
        "Rows without a date are ignored. Skills orientation: one row, the referral date.",
        "تُتجاهل الأسطر بلا تاريخ. التوجيه: سطر واحد بتاريخ التوجيه.",
    ),
    "training-day": _t("Journée {n}", "Day {n}", "اليوم {n}"),
    "training-day-hours": _t("Heures", "Hours", "الساعات"),
    "training-attendance": _t("Présence", "Attendance", "الحضور"),
    "training-language": _t(
        "Formation linguistique seulement", "Language training only", "للتكوين اللغوي فقط"
    ),
    "training-add": _t("Enregistrer", "Record", "تسجيل"),
    "training-attendance-heading": _t(
        "Présence par journée", "Attendance by day", "الحضور حسب اليوم"
    ),
    "training-save-attendance": _t("Enregistrer la présence", "Save attendance", "حفظ الحضور"),
    "training-certificate-heading": _t("Attestation", "Certificate", "الشهادة"),
    "training-certificate-hint": _t(
        "L'attestation est établie à partir de cet enregistrement : seules les journées "
        "marquées « présent » y figurent.",
        "The certificate is built from this record: only the days marked “present” appear.",
        "تُعدّ الشهادة من هذا التسجيل: لا تظهر فيها إلا الأيام المسجلة «حاضر».",
    ),
    "training-issue": _t(
        "Émettre l'attestation scellée", "Issue the sealed certificate", "إصدار الشهادة المختومة"
    ),
    "appointments-title": _t("Rendez-vous", "Appointments", "المواعيد"),
    "appointments-heading": _t(
        "Rendez-vous du dossier", "Appointments of the file", "مواعيد الملف"
    ),
    "appointments-none": _t("Aucun rendez-vous.", "No appointment.", "لا توجد مواعيد."),
    "appointment-mailed": _t(
        "convocation envoyée par e-mail", "letter e-mailed", "أُرسل الاستدعاء بالبريد الإلكتروني"
    ),
    "appointment-convocation": _t(
        "Convocation (PDF)", "Appointment letter (PDF)", "الاستدعاء (PDF)"
    ),
    "appointment-status": _t("Issue", "Outcome", "النتيجة"),
    "appointment-new-at": _t(
        "Nouvelle date (si reporté)", "New date (if rescheduled)", "التاريخ الجديد (في حال التأجيل)"
    ),
    "appointment-record": _t("Enregistrer", "Record", "تسجيل"),
    "appointment-schedule-heading": _t(
        "Fixer un rendez-vous", "Schedule an appointment", "تحديد موعد"
    ),
    "appointment-purpose": _t("Objet", "Purpose", "الموضوع"),
    "appointment-at": _t("Date et heure", "Date and time", "التاريخ والساعة"),
    "appointment-at-hint": _t("Heure de Paris.", "Paris time.", "بتوقيت باريس."),
    "appointment-place": _t("Lieu", "Place", "المكان"),
    "appointment-bring": _t(
        "Documents à apporter (un par ligne)",
        "Documents to bring (one a line)",
        "الوثائق المطلوب إحضارها (واحدة في كل سطر)",
    ),
    "appointment-note": _t("Note interne", "Internal note", "ملاحظة داخلية"),
    "appointment-send-mail": _t(
        "Envoyer la convocation par e-mail",
        "Send the letter by e-mail",
        "إرسال الاستدعاء بالبريد الإلكتروني",
    ),
    "appointment-schedule": _t(
        "Fixer et émettre la convocation",
        "Schedule and issue the letter",
        "تحديد الموعد وإصدار الاستدعاء",
    ),
    "appointment-mail-sent": _t(
        "Rendez-vous fixé ; la convocation a été envoyée par e-mail.",
        "Appointment scheduled; the letter was e-mailed.",
        "تم تحديد الموعد وإرسال الاستدعاء بالبريد الإلكتروني.",
    ),
    "appointment-mail-failed": _t(
        "Rendez-vous fixé et convocation émise, mais l'e-mail n'a pas pu être envoyé : "
        "remettez ou postez la convocation.",
        "Appointment scheduled and letter issued, but the e-mail could not be sent: hand "
        "or post the letter.",
        "تم تحديد الموعد وإصدار الاستدعاء، لكن تعذّر إرسال البريد الإلكتروني: "
        "سلّم الاستدعاء أو أرسله بالبريد.",
    ),
    "correspondence-title": _t("Courriers", "Correspondence", "المراسلات"),
    "correspondence-intro": _t(
        "Les lettres et e-mails échangés avec l'OFII ou la préfecture, avec leurs pièces.",
        "Letters and e-mails exchanged with OFII or the prefecture, with their files.",
        "الرسائل والبريد الإلكتروني المتبادلة مع OFII أو المحافظة، مع مرفقاتها.",
    ),
    "correspondence-heading": _t(
        "Courriers enregistrés", "Correspondence recorded", "المراسلات المسجلة"
    ),
    "correspondence-none": _t(
        "Aucun courrier enregistré.", "No correspondence recorded.", "لا توجد مراسلات مسجلة."
    ),
    "correspondence-added": _t(
        "Courrier enregistré.", "Correspondence recorded.", "تم تسجيل المراسلة."
    ),
    "correspondence-from-to": _t(
        "De {sender} à {recipient}", "From {sender} to {recipient}", "من {sender} إلى {recipient}"
    ),
    "correspondence-added-by": _t("ajouté par : {role}", "added by: {role}", "أضافه: {role}"),
    "correspondence-pages": _t("{n} page(s)", "{n} page(s)", "{n} صفحة"),
    "correspondence-original": _t("fichier d'origine", "original file", "الملف الأصلي"),
    "correspondence-removed": _t(
        "Retiré pour votre sécurité : {what}.",
        "Removed for your safety: {what}.",
        "أُزيل حفاظًا على سلامتك: {what}.",
    ),
    "correspondence-add-heading": _t("Ajouter un courrier", "Add correspondence", "إضافة مراسلة"),
    "correspondence-evidence": _t(
        "Un courrier enregistré ne peut plus être modifié ni supprimé : c'est une preuve.",
        "Once recorded, correspondence cannot be changed or deleted: it is evidence.",
        "لا يمكن تعديل المراسلة أو حذفها بعد تسجيلها: إنها دليل.",
    ),
    "correspondence-on": _t("Date", "Date", "التاريخ"),
    "correspondence-direction": _t("Sens", "Direction", "الاتجاه"),
    "correspondence-sender": _t("Expéditeur", "Sender", "المرسل"),
    "correspondence-recipient": _t("Destinataire", "Recipient", "المرسل إليه"),
    "correspondence-channel": _t("Mode d'envoi", "Channel", "وسيلة الإرسال"),
    "correspondence-tracking": _t("Numéro de suivi", "Tracking number", "رقم التتبع"),
    "correspondence-acknowledged": _t(
        "Accusé de réception signé le", "Acknowledged on", "تاريخ توقيع إشعار الاستلام"
    ),
    "correspondence-registered-hint": _t(
        "Pour une lettre recommandée seulement.",
        "For registered mail only.",
        "للرسائل المضمونة فقط.",
    ),
    "correspondence-subject": _t("Objet", "Subject", "الموضوع"),
    "correspondence-files": _t("Fichiers", "Files", "الملفات"),
    "correspondence-files-hint": _t(
        "Jusqu'à {n} fichiers : PDF, photo (JPEG, PNG, HEIC) ou e-mail (.eml).",
        "Up to {n} files: PDF, photo (JPEG, PNG, HEIC) or e-mail (.eml).",
        "حتى {n} ملفات: PDF أو صورة (JPEG أو PNG أو HEIC) أو بريد (‎.eml).",
    ),
    "correspondence-add": _t(
        "Enregistrer le courrier", "Record the correspondence", "تسجيل المراسلة"
    ),
}

JOURNEY_MESSAGES: dict[str, dict[str, str]] = {**_INTAKE, **_ENUMS, **_ERRORS, **_PAGES}

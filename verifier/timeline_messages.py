"""Texts of the timeline pages in French, English and Arabic (see verifier/i18n.py).

``timeline-gap-*`` are the messages of the gap rules (verifier/timeline.py, ``GAP_RULES``):
each says what is missing and, in one sentence, what to do about it, because the reader is a
migrant who reads French poorly or a lawyer under a deadline. ``timeline-purpose-*``,
``timeline-appointment-*``, ``timeline-channel-*`` and ``timeline-training-*`` follow the enums
of verifier/models.py (a test walks them).
"""

from __future__ import annotations

__all__ = ["TIMELINE_MESSAGES"]

_PAGE: dict[str, dict[str, str]] = {
    "timeline-title": {"fr": "Chronologie", "en": "Timeline", "ar": "التسلسل الزمني"},
    "timeline-nav": {
        "fr": "Voir la chronologie du dossier",
        "en": "See the timeline of the file",
        "ar": "عرض التسلسل الزمني للملف",
    },
    "timeline-intro-mine": {
        "fr": "Tout ce qui est enregistré dans votre dossier, du plus ancien au plus récent. "
        "Les points d'attention sont en haut : lisez-les d'abord.",
        "en": "Everything recorded in your file, oldest first. The gaps to look at are at "
        "the top: read them first.",
        "ar": "كل ما هو مسجل في ملفك، من الأقدم إلى الأحدث. النقاط التي تستحق الانتباه في "
        "الأعلى: اقرأها أولاً.",
    },
    "timeline-intro-staff": {
        "fr": "Chronologie du dossier établie à partir des attestations, formations, "
        "rendez-vous et courriers enregistrés. Les points d'attention viennent d'abord.",
        "en": "Timeline of the file built from the certificates, trainings, appointments and "
        "letters recorded. The gaps come first.",
        "ar": "التسلسل الزمني للملف مبني على الشهادات والتكوينات والمواعيد والمراسلات "
        "المسجلة. النقاط التي تستحق الانتباه تأتي أولاً.",
    },
    "timeline-access-recorded": {
        "fr": "Votre consultation de cette chronologie est enregistrée et visible par la personne.",
        "en": "Your viewing of this timeline is recorded and shown to the person.",
        "ar": "اطلاعك على هذا التسلسل الزمني مسجَّل ويظهر للشخص المعني.",
    },
    "timeline-gaps-heading": {
        "fr": "Points d'attention",
        "en": "Gaps to look at",
        "ar": "نقاط تستحق الانتباه",
    },
    "timeline-gaps-count": {
        "fr": "{total} point(s) d'attention, dont {critical} critique(s).",
        "en": "{total} gap(s), {critical} of them critical.",
        "ar": "عدد النقاط: {total}، منها {critical} حرجة.",
    },
    "timeline-no-gaps": {
        "fr": "Aucun point d'attention relevé à ce jour.",
        "en": "No gap found as of today.",
        "ar": "لا توجد نقاط تستحق الانتباه حتى اليوم.",
    },
    "timeline-severity-critical": {"fr": "Critique", "en": "Critical", "ar": "حرج"},
    "timeline-severity-warning": {"fr": "À vérifier", "en": "To check", "ar": "للتحقق"},
    "timeline-gap-number": {
        "fr": "Point d'attention n° {number}",
        "en": "Gap no. {number}",
        "ar": "النقطة رقم {number}",
    },
    "timeline-gap-dates": {
        "fr": "Dates concernées : {dates}",
        "en": "Dates concerned: {dates}",
        "ar": "التواريخ المعنية: {dates}",
    },
    "timeline-see-gaps": {
        "fr": "Voir le point d'attention n° {numbers}",
        "en": "See gap no. {numbers}",
        "ar": "انظر النقطة رقم {numbers}",
    },
    "timeline-chronology-heading": {
        "fr": "Chronologie",
        "en": "Chronology",
        "ar": "التسلسل الزمني",
    },
    "timeline-no-events": {
        "fr": "Aucun événement enregistré dans ce dossier.",
        "en": "No event recorded in this file.",
        "ar": "لا توجد أحداث مسجلة في هذا الملف.",
    },
    "timeline-download-pdf": {
        "fr": "Télécharger la chronologie (PDF)",
        "en": "Download the timeline (PDF)",
        "ar": "تنزيل التسلسل الزمني (PDF)",
    },
    "timeline-pdf-in-french": {
        "fr": "Le PDF est en français.",
        "en": "The PDF is in French.",
        "ar": "ملف PDF باللغة الفرنسية.",
    },
    "timeline-back": {
        "fr": "Retour au dossier",
        "en": "Back to the file",
        "ar": "العودة إلى الملف",
    },
}

_EVENTS: dict[str, dict[str, str]] = {
    "timeline-certificate-issued": {
        "fr": "Attestation délivrée le {day} — {status}",
        "en": "Certificate issued on {day} — {status}",
        "ar": "شهادة صادرة في {day} — {status}",
    },
    "timeline-convocation": {
        "fr": "Convocation à un rendez-vous le {day} à {time}",
        "en": "Summons to an appointment on {day} at {time}",
        "ar": "استدعاء إلى موعد في {day} على الساعة {time}",
    },
    "timeline-source-certificate": {
        "fr": "Attestation {code}",
        "en": "Certificate {code}",
        "ar": "الشهادة {code}",
    },
    "timeline-source-training": {
        "fr": "Formation n° {id}",
        "en": "Training no. {id}",
        "ar": "التكوين رقم {id}",
    },
    "timeline-source-appointment": {
        "fr": "Rendez-vous n° {id}",
        "en": "Appointment no. {id}",
        "ar": "الموعد رقم {id}",
    },
    "timeline-source-correspondence": {
        "fr": "Courrier n° {id}",
        "en": "Letter no. {id}",
        "ar": "المراسلة رقم {id}",
    },
    "timeline-training": {
        "fr": "{kind} : {title}",
        "en": "{kind}: {title}",
        "ar": "{kind}: {title}",
    },
    "timeline-training-civic": {
        "fr": "Formation civique",
        "en": "Civic training",
        "ar": "التكوين المدني",
    },
    "timeline-training-language": {
        "fr": "Formation linguistique",
        "en": "Language training",
        "ar": "التكوين اللغوي",
    },
    "timeline-training-life-in-france": {
        "fr": "Session « Vivre en France »",
        "en": "Life-in-France session",
        "ar": "جلسة «العيش في فرنسا»",
    },
    "timeline-training-skills-orientation": {
        "fr": "Orientation professionnelle",
        "en": "Skills orientation",
        "ar": "التوجيه المهني",
    },
    "timeline-training-exempt": {
        "fr": "Dispense de formation",
        "en": "Exempted from the training",
        "ar": "إعفاء من التكوين",
    },
    "timeline-training-days": {
        "fr": "{total} jour(s) : {present} présent, {absent} absent, {excused} excusé",
        "en": "{total} day(s): {present} present, {absent} absent, {excused} excused",
        "ar": "{total} يوم: {present} حضور، {absent} غياب، {excused} غياب مبرر",
    },
    "timeline-training-hours": {
        "fr": "{attended} h suivies sur {prescribed} h prescrites ; niveau atteint : {level}",
        "en": "{attended} h attended of {prescribed} h prescribed; level reached: {level}",
        "ar": "{attended} ساعة من أصل {prescribed} ساعة مقررة؛ المستوى المحقق: {level}",
    },
    "timeline-training-absent": {
        "fr": "Absence — {kind}",
        "en": "Absent — {kind}",
        "ar": "غياب — {kind}",
    },
    "timeline-training-excused": {
        "fr": "Absence excusée — {kind}",
        "en": "Excused absence — {kind}",
        "ar": "غياب مبرر — {kind}",
    },
    "timeline-appointment": {
        "fr": "Rendez-vous : {purpose} — {status}",
        "en": "Appointment: {purpose} — {status}",
        "ar": "موعد: {purpose} — {status}",
    },
    "timeline-appointment-scheduled": {"fr": "prévu", "en": "scheduled", "ar": "مقرر"},
    "timeline-appointment-attended": {"fr": "honoré", "en": "attended", "ar": "تم الحضور"},
    "timeline-appointment-missed": {"fr": "manqué", "en": "missed", "ar": "لم يتم الحضور"},
    "timeline-appointment-rescheduled": {"fr": "reporté", "en": "rescheduled", "ar": "مؤجل"},
    "timeline-appointment-cancelled": {"fr": "annulé", "en": "cancelled", "ar": "ملغى"},
    "timeline-purpose-reception-interview": {
        "fr": "entretien d'accueil",
        "en": "reception interview",
        "ar": "مقابلة الاستقبال",
    },
    "timeline-purpose-medical-visit": {
        "fr": "visite médicale",
        "en": "medical visit",
        "ar": "الفحص الطبي",
    },
    "timeline-purpose-cir-signature": {
        "fr": "signature du contrat d'intégration républicaine",
        "en": "signature of the republican integration contract",
        "ar": "توقيع عقد الاندماج الجمهوري",
    },
    "timeline-purpose-training": {"fr": "formation", "en": "training", "ar": "تكوين"},
    "timeline-purpose-end-of-contract-interview": {
        "fr": "entretien de fin de contrat",
        "en": "end-of-contract interview",
        "ar": "مقابلة نهاية العقد",
    },
    "timeline-purpose-other": {"fr": "autre objet", "en": "other", "ar": "غرض آخر"},
    "timeline-letter-sent": {
        "fr": "Courrier envoyé à {who} : {subject}",
        "en": "Letter sent to {who}: {subject}",
        "ar": "مراسلة مرسلة إلى {who}: {subject}",
    },
    "timeline-letter-received": {
        "fr": "Courrier reçu de {who} : {subject}",
        "en": "Letter received from {who}: {subject}",
        "ar": "مراسلة واردة من {who}: {subject}",
    },
    "timeline-channel-post": {"fr": "Courrier simple", "en": "Post", "ar": "بريد عادي"},
    "timeline-channel-registered-mail": {
        "fr": "Lettre recommandée",
        "en": "Registered mail",
        "ar": "رسالة مضمونة",
    },
    "timeline-channel-email": {"fr": "Courriel", "en": "E-mail", "ar": "بريد إلكتروني"},
    "timeline-channel-hand-delivery": {
        "fr": "Remise en main propre",
        "en": "Hand delivery",
        "ar": "تسليم باليد",
    },
    "timeline-tracking": {
        "fr": "n° de suivi {number}",
        "en": "tracking no. {number}",
        "ar": "رقم التتبع {number}",
    },
    "timeline-acknowledged": {
        "fr": "Accusé de réception signé : {subject}",
        "en": "Acknowledgment of receipt signed: {subject}",
        "ar": "تم توقيع إشعار الاستلام: {subject}",
    },
}

_GAPS: dict[str, dict[str, str]] = {
    "timeline-gap-no-summons": {
        "fr": "Aucune convocation de l'OFII dans les {days} jours suivant la validation du "
        "VLS-TS du {validated} (délai échu le {due}). Envoyer à l'OFII, en recommandé avec "
        "accusé de réception, une copie du passeport et de la confirmation de validation.",
        "en": "No OFII summons within {days} days of the VLS-TS validation of {validated} "
        "(the delay ran out on {due}). Send OFII, by registered mail with acknowledgment, a "
        "copy of the passport and of the validation confirmation.",
        "ar": "لا يوجد استدعاء من OFII خلال {days} يوماً بعد المصادقة على التأشيرة VLS-TS "
        "بتاريخ {validated} (انتهت المهلة في {due}). أرسل إلى OFII برسالة مضمونة مع إشعار "
        "بالاستلام نسخة من جواز السفر ومن تأكيد المصادقة.",
    },
    "timeline-gap-missed": {
        "fr": "Rendez-vous manqué le {day} ({purpose}), et aucun nouveau rendez-vous fixé. "
        "Demander un nouveau rendez-vous à l'OFII et garder la preuve de la demande.",
        "en": "Appointment missed on {day} ({purpose}), and no new appointment set. Ask OFII "
        "for a new appointment and keep proof of the request.",
        "ar": "موعد فائت في {day} ({purpose})، ولم يُحدَّد موعد جديد. اطلب موعداً جديداً من "
        "OFII واحتفظ بدليل الطلب.",
    },
    "timeline-gap-renewal-open": {
        "fr": "Le titre expire le {expiry} : la demande de renouvellement se dépose entre le "
        "{start} et le {end}.",
        "en": "The permit expires on {expiry}: the renewal request is filed between {start} "
        "and {end}.",
        "ar": "تنتهي صلاحية الإقامة في {expiry}: يُقدَّم طلب التجديد بين {start} و{end}.",
    },
    "timeline-gap-renewal-late": {
        "fr": "Le titre expire le {expiry} : la période de dépôt de la demande de "
        "renouvellement s'est terminée le {end}. Déposer la demande sans attendre.",
        "en": "The permit expires on {expiry}: the period to file the renewal request ended "
        "on {end}. File the request without delay.",
        "ar": "تنتهي صلاحية الإقامة في {expiry}: انتهت فترة تقديم طلب التجديد في {end}. "
        "قدّم الطلب دون تأخير.",
    },
    "timeline-gap-civic-absence": {
        "fr": "Absence à la formation civique ({session}) le {dates}, sans session de "
        "rattrapage enregistrée. L'assiduité est vérifiée au renouvellement du titre.",
        "en": "Absent from the civic training ({session}) on {dates}, with no make-up "
        "session recorded. Attendance is checked when the permit is renewed.",
        "ar": "غياب عن التكوين المدني ({session}) في {dates}، دون تسجيل جلسة تعويضية. "
        "تُراجَع المواظبة عند تجديد الإقامة.",
    },
    "timeline-gap-not-replaced": {
        "fr": "Rendez-vous du {day} ({purpose}) reporté ou annulé, sans nouveau rendez-vous "
        "enregistré.",
        "en": "Appointment of {day} ({purpose}) rescheduled or cancelled, with no new "
        "appointment recorded.",
        "ar": "موعد {day} ({purpose}) مؤجل أو ملغى، دون تسجيل موعد جديد.",
    },
    "timeline-gap-no-acknowledgment": {
        "fr": "Lettre recommandée envoyée le {sent} à {recipient} (n° {tracking}) : aucun "
        "accusé de réception enregistré après {days} jours. Vérifier le suivi de La Poste et "
        "garder la preuve de dépôt.",
        "en": "Registered letter sent on {sent} to {recipient} (no. {tracking}): no "
        "acknowledgment of receipt recorded after {days} days. Check La Poste's tracking and "
        "keep the proof of posting.",
        "ar": "رسالة مضمونة أُرسلت في {sent} إلى {recipient} (رقم {tracking}): لم يُسجَّل "
        "أي إشعار بالاستلام بعد {days} يوماً. تحقق من تتبع البريد واحتفظ بإثبات الإيداع.",
    },
}

_TITLES: dict[str, dict[str, str]] = {
    "timeline-gap-no-summons-title": {
        "fr": "Pas de convocation de l'OFII {days} jours après la validation du VLS-TS",
        "en": "No OFII summons {days} days after the VLS-TS validation",
        "ar": "لا استدعاء من OFII بعد {days} يوماً من المصادقة على VLS-TS",
    },
    "timeline-gap-missed-title": {
        "fr": "Rendez-vous manqué, sans nouveau rendez-vous",
        "en": "Missed appointment, no new one",
        "ar": "موعد فائت دون موعد جديد",
    },
    "timeline-gap-renewal-open-title": {
        "fr": "Période de demande de renouvellement ouverte",
        "en": "Renewal request period open",
        "ar": "فترة طلب التجديد مفتوحة",
    },
    "timeline-gap-renewal-late-title": {
        "fr": "Période de demande de renouvellement terminée",
        "en": "Renewal request period over",
        "ar": "انتهت فترة طلب التجديد",
    },
    "timeline-gap-civic-absence-title": {
        "fr": "Absence à la formation civique non rattrapée",
        "en": "Civic training absence not made up",
        "ar": "غياب عن التكوين المدني دون تعويض",
    },
    "timeline-gap-not-replaced-title": {
        "fr": "Rendez-vous reporté ou annulé, sans nouveau rendez-vous",
        "en": "Appointment moved or cancelled, no new one",
        "ar": "موعد مؤجل أو ملغى دون موعد جديد",
    },
    "timeline-gap-no-acknowledgment-title": {
        "fr": "Lettre recommandée sans accusé de réception après {days} jours",
        "en": "Registered letter without acknowledgment after {days} days",
        "ar": "رسالة مضمونة دون إشعار بالاستلام بعد {days} يوماً",
    },
}

TIMELINE_MESSAGES: dict[str, dict[str, str]] = {**_PAGE, **_EVENTS, **_GAPS, **_TITLES}

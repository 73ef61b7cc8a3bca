"""Messages of the evidence-pack area (issue 7): pages, renewal checklist, build progress,
pack verification. French, English, Arabic; French is also the language of the pack itself.

``pack_text`` reads this catalog directly (then the app's), so the area works the same
before and after the catalog is merged into verifier/i18n.py.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["PACK_MESSAGES", "pack_text"]

PACK_MESSAGES: Mapping[str, Mapping[str, str]] = {
    # ---- renewal checklist
    "renewal-status-present": {"fr": "présent", "en": "present", "ar": "متوفر"},
    "renewal-status-missing": {"fr": "manquant", "en": "missing", "ar": "ناقص"},
    "renewal-cir-present": {
        "fr": "Contrat d'intégration républicaine signé le {date}",
        "en": "Republican Integration Contract signed on {date}",
        "ar": "عقد الاندماج الجمهوري موقع بتاريخ {date}",
    },
    "renewal-cir-missing": {
        "fr": "Aucune attestation de signature du contrat d'intégration républicaine",
        "en": "No certificate of signature of the Republican Integration Contract",
        "ar": "لا توجد شهادة توقيع عقد الاندماج الجمهوري",
    },
    "renewal-civic-present": {
        "fr": "Formation civique suivie : {days} jours, {hours} h",
        "en": "Civic training attended: {days} days, {hours} h",
        "ar": "تم حضور التكوين المدني: {days} أيام، {hours} ساعة",
    },
    "renewal-civic-missing": {
        "fr": "Formation civique incomplète : {days} jours sur {need_days}, {hours} h sur "
        "{need_hours} h",
        "en": "Civic training incomplete: {days} of {need_days} days, {hours} of {need_hours} h",
        "ar": "التكوين المدني غير مكتمل: {days} من {need_days} أيام، {hours} من {need_hours} ساعة",
    },
    "renewal-language-hours-present": {
        "fr": "Formation linguistique suivie : {attended} h sur {prescribed} h prescrites",
        "en": "Language training attended: {attended} of {prescribed} h prescribed",
        "ar": "تم حضور التكوين اللغوي: {attended} من {prescribed} ساعة مقررة",
    },
    "renewal-language-hours-present-exempt": {
        "fr": "Dispense de formation linguistique : {reason}",
        "en": "Exempt from language training: {reason}",
        "ar": "إعفاء من التكوين اللغوي: {reason}",
    },
    "renewal-language-level-present-exempt": {
        "fr": "Niveau de français : dispense ({reason})",
        "en": "French level: exempt ({reason})",
        "ar": "مستوى الفرنسية: إعفاء ({reason})",
    },
    "renewal-language-hours-missing": {
        "fr": "Formation linguistique : {attended} h suivies sur {prescribed} h prescrites",
        "en": "Language training: {attended} h attended of {prescribed} h prescribed",
        "ar": "التكوين اللغوي: {attended} ساعة من أصل {prescribed} ساعة مقررة",
    },
    "renewal-language-level-present": {
        "fr": "Niveau de français atteint : {level} (requis : {need})",
        "en": "French level reached: {level} (required: {need})",
        "ar": "مستوى الفرنسية المحقق: {level} (المطلوب: {need})",
    },
    "renewal-language-level-missing": {
        "fr": "Niveau de français {need} non attesté (niveau connu : {level})",
        "en": "French level {need} not attested (known level: {level})",
        "ar": "مستوى الفرنسية {need} غير مثبت (المستوى المعروف: {level})",
    },
    "renewal-civic-exam-present": {
        "fr": "Examen civique réussi",
        "en": "Civic exam passed",
        "ar": "تم اجتياز الامتحان المدني",
    },
    "renewal-civic-exam-missing": {
        "fr": "Examen civique : Sceau n'en a pas trace, joindre l'attestation de réussite",
        "en": "Civic exam: not recorded in Sceau, add the certificate of success",
        "ar": "الامتحان المدني: غير مسجل في Sceau، أرفق شهادة النجاح",
    },
    "renewal-life-in-france-present": {
        "fr": "Session « Vivre en France » suivie le {date}",
        "en": "'Living in France' session attended on {date}",
        "ar": "تم حضور جلسة «العيش في فرنسا» بتاريخ {date}",
    },
    "renewal-life-in-france-missing": {
        "fr": "Aucune participation à la session « Vivre en France »",
        "en": "No attendance at the 'Living in France' session",
        "ar": "لا توجد مشاركة في جلسة «العيش في فرنسا»",
    },
    "renewal-appointments-present": {
        "fr": "Aucun rendez-vous de l'OFII manqué sans suite ({count} manqué(s) puis honoré(s))",
        "en": "No OFII appointment missed without follow-up ({count} missed then attended)",
        "ar": "لا يوجد موعد فائت دون متابعة ({count} فائت ثم تم حضوره)",
    },
    "renewal-appointments-missing": {
        "fr": "{count} rendez-vous de l'OFII manqué(s) sans rendez-vous honoré depuis : {dates}",
        "en": "{count} OFII appointment(s) missed with none attended since: {dates}",
        "ar": "{count} موعد(مواعيد) فائتة دون حضور لاحق: {dates}",
    },
    # ---- appeal slots
    "slot-contested-decision": {
        "fr": "La décision attaquée (CJA R.412-1)",
        "en": "The contested decision (CJA R.412-1)",
        "ar": "القرار المطعون فيه (CJA R.412-1)",
    },
    "slot-notification-proof": {
        "fr": "La preuve de la date de notification (accusé de réception, avis de passage)",
        "en": "Proof of the notification date (acknowledgment of receipt, delivery notice)",
        "ar": "إثبات تاريخ التبليغ (إشعار بالاستلام، إشعار المرور)",
    },
    "slot-missing": {
        "fr": "Pièce manquante : {slot}",
        "en": "Missing piece: {slot}",
        "ar": "وثيقة ناقصة: {slot}",
    },
    # ---- pages
    "packs-title": {"fr": "Dossiers de pièces", "en": "Evidence packs", "ar": "ملفات الوثائق"},
    "packs-for": {"fr": "Dossier de {name}", "en": "File of {name}", "ar": "ملف {name}"},
    "packs-purpose": {"fr": "Objet", "en": "Purpose", "ar": "الغرض"},
    "packs-purpose-appeal": {
        "fr": "Recours contentieux",
        "en": "Court appeal",
        "ar": "طعن قضائي",
    },
    "packs-purpose-renewal": {
        "fr": "Renouvellement de titre de séjour",
        "en": "Residence permit renewal",
        "ar": "تجديد بطاقة الإقامة",
    },
    "packs-addressee": {
        "fr": "Destinataire (tribunal ou préfecture)",
        "en": "Addressee (court or prefecture)",
        "ar": "الجهة المرسل إليها (محكمة أو محافظة)",
    },
    "packs-pieces": {"fr": "Pièces", "en": "Pieces", "ar": "الوثائق"},
    "packs-certificates": {
        "fr": "Attestations de l'OFII",
        "en": "OFII certificates",
        "ar": "شهادات OFII",
    },
    "packs-files": {
        "fr": "Documents du dossier",
        "en": "Documents in the file",
        "ar": "مستندات الملف",
    },
    "packs-no-pieces": {
        "fr": "Aucune pièce dans le dossier.",
        "en": "No piece in the file.",
        "ar": "لا توجد وثائق في الملف.",
    },
    "packs-appeal-section": {
        "fr": "Recours : procédure et notification",
        "en": "Appeal: procedure and notification",
        "ar": "الطعن: الإجراء والتبليغ",
    },
    "packs-procedure": {"fr": "Procédure", "en": "Procedure", "ar": "الإجراء"},
    "packs-notified-at": {
        "fr": "Date et heure de notification (heure de Paris)",
        "en": "Date and time of notification (Paris time)",
        "ar": "تاريخ وساعة التبليغ (بتوقيت باريس)",
    },
    "packs-contested-decision": {
        "fr": "Décision attaquée (fichier)",
        "en": "Contested decision (file)",
        "ar": "القرار المطعون فيه (ملف)",
    },
    "packs-notification-proof": {
        "fr": "Preuve de notification (fichier)",
        "en": "Notification proof (file)",
        "ar": "إثبات التبليغ (ملف)",
    },
    "packs-build": {"fr": "Constituer le dossier", "en": "Build the pack", "ar": "إنشاء الملف"},
    "packs-compute": {
        "fr": "Calculer le délai",
        "en": "Compute the deadline",
        "ar": "حساب الأجل",
    },
    "packs-deadline": {
        "fr": "Date limite de recours : {when} (heure de Paris)",
        "en": "Filing deadline: {when} (Paris time)",
        "ar": "آخر أجل للطعن: {when} (بتوقيت باريس)",
    },
    "packs-deadline-source": {
        "fr": "Source : {source}",
        "en": "Source: {source}",
        "ar": "المصدر: {source}",
    },
    "packs-deadline-moved": {
        "fr": "Le dernier jour ({day}) n'est pas ouvrable : le délai est prorogé.",
        "en": "The last day ({day}) is not a working day: the deadline is extended.",
        "ar": "اليوم الأخير ({day}) ليس يوم عمل: تم تمديد الأجل.",
    },
    "packs-hour-by-hour": {
        "fr": "Délai compté d'heure à heure.",
        "en": "Counted hour by hour.",
        "ar": "الأجل محسوب ساعة بساعة.",
    },
    "packs-missing-title": {"fr": "À compléter", "en": "Still missing", "ar": "ما ينقص"},
    "packs-checklist-title": {
        "fr": "Renouvellement d'une carte pluriannuelle : liste de contrôle",
        "en": "Multi-year card renewal: checklist",
        "ar": "تجديد البطاقة متعددة السنوات: قائمة التحقق",
    },
    "packs-builds": {"fr": "Dossiers constitués", "en": "Packs built", "ar": "الملفات المنشأة"},
    "packs-build-title": {"fr": "Dossier n° {id}", "en": "Pack no. {id}", "ar": "الملف رقم {id}"},
    "packs-status-queued": {"fr": "en attente", "en": "queued", "ar": "في الانتظار"},
    "packs-status-running": {"fr": "en cours", "en": "in progress", "ar": "قيد الإنشاء"},
    "packs-status-done": {"fr": "prêt", "en": "ready", "ar": "جاهز"},
    "packs-status-failed": {"fr": "échec", "en": "failed", "ar": "فشل"},
    "packs-progress": {
        "fr": "{done} / {total} pièces",
        "en": "{done} / {total} pieces",
        "ar": "{done} / {total} وثائق",
    },
    "packs-download": {
        "fr": "Télécharger le dossier (ZIP)",
        "en": "Download the pack (ZIP)",
        "ar": "تنزيل الملف (ZIP)",
    },
    "packs-refresh": {
        "fr": "Cette page se met à jour toute seule.",
        "en": "This page updates itself.",
        "ar": "هذه الصفحة تتحدث تلقائيا.",
    },
    "packs-back": {"fr": "Retour", "en": "Back", "ar": "رجوع"},
    "packs-error-purpose": {
        "fr": "Choisissez l'objet du dossier.",
        "en": "Choose the purpose of the pack.",
        "ar": "اختر غرض الملف.",
    },
    "packs-error-procedure": {
        "fr": "Choisissez la procédure.",
        "en": "Choose the procedure.",
        "ar": "اختر الإجراء.",
    },
    "packs-error-notified-at": {
        "fr": "Date et heure de notification invalides (AAAA-MM-JJTHH:MM).",
        "en": "Invalid notification date and time (YYYY-MM-DDTHH:MM).",
        "ar": "تاريخ وساعة التبليغ غير صالحين (YYYY-MM-DDTHH:MM).",
    },
    "packs-error-piece": {
        "fr": "Une pièce choisie n'est pas dans ce dossier.",
        "en": "A chosen piece is not in this file.",
        "ar": "إحدى الوثائق المختارة ليست في هذا الملف.",
    },
    "packs-error-empty": {
        "fr": "Choisissez au moins une pièce.",
        "en": "Choose at least one piece.",
        "ar": "اختر وثيقة واحدة على الأقل.",
    },
    "packs-error-addressee": {
        "fr": "Destinataire trop long (200 caractères au plus).",
        "en": "Addressee too long (200 characters at most).",
        "ar": "اسم الجهة طويل جدا (200 حرف على الأكثر).",
    },
    "packs-error-failed": {
        "fr": "Le dossier n'a pas pu être constitué : {detail}",
        "en": "The pack could not be built: {detail}",
        "ar": "تعذر إنشاء الملف: {detail}",
    },
    # ---- verification
    "packs-verify-title": {
        "fr": "Vérifier un dossier de pièces",
        "en": "Verify an evidence pack",
        "ar": "التحقق من ملف الوثائق",
    },
    "packs-verify-intro": {
        "fr": "Déposez le ZIP du dossier ou son PDF complet : chaque empreinte, l'horodatage et "
        "les signatures sont vérifiés, fichier par fichier.",
        "en": "Drop the pack's ZIP or its combined PDF: every hash, the timestamp and the "
        "signatures are checked, file by file.",
        "ar": "ضع ملف ZIP أو ملف PDF الكامل: يتم التحقق من كل بصمة والختم الزمني والتوقيعات، "
        "ملفا بملف.",
    },
    "packs-verify-file": {"fr": "Fichier", "en": "File", "ar": "الملف"},
    "packs-verify-submit": {"fr": "Vérifier", "en": "Verify", "ar": "تحقق"},
    "packs-verify-ok": {
        "fr": "Dossier intact : rien n'a changé depuis sa constitution.",
        "en": "Pack intact: nothing changed since it was built.",
        "ar": "الملف سليم: لم يتغير شيء منذ إنشائه.",
    },
    "packs-verify-bad": {
        "fr": "Dossier modifié ou incomplet : voir les fichiers signalés.",
        "en": "Pack changed or incomplete: see the files marked.",
        "ar": "الملف معدل أو ناقص: انظر الملفات المشار إليها.",
    },
    "packs-verify-status-ok": {"fr": "intact", "en": "intact", "ar": "سليم"},
    "packs-verify-status-changed": {"fr": "modifié", "en": "changed", "ar": "معدل"},
    "packs-verify-status-missing": {"fr": "absent", "en": "missing", "ar": "مفقود"},
    "packs-verify-status-unexpected": {"fr": "en trop", "en": "unexpected", "ar": "زائد"},
    "packs-verify-timestamp": {"fr": "Horodatage", "en": "Timestamp", "ar": "الختم الزمني"},
    "packs-verify-signatures": {"fr": "Signatures", "en": "Signatures", "ar": "التوقيعات"},
    "packs-verify-yes": {"fr": "valide", "en": "valid", "ar": "صالح"},
    "packs-verify-no": {"fr": "non valide", "en": "not valid", "ar": "غير صالح"},
    "packs-verify-none": {"fr": "sans objet", "en": "not applicable", "ar": "لا ينطبق"},
    "packs-verify-no-file": {
        "fr": "Aucun fichier envoyé.",
        "en": "No file sent.",
        "ar": "لم يتم إرسال أي ملف.",
    },
    "packs-verify-unreadable": {
        "fr": "Ce fichier n'est ni un dossier Sceau (ZIP) ni un PDF : {detail}",
        "en": "This file is neither a Sceau pack (ZIP) nor a PDF: {detail}",
        "ar": "هذا الملف ليس ملف Sceau (ZIP) ولا PDF: {detail}",
    },
    "packs-verify-hostile": {
        "fr": "Archive refusée : {detail}",
        "en": "Archive refused: {detail}",
        "ar": "تم رفض الأرشيف: {detail}",
    },
}


def pack_text(key: str, /, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in ``lang`` (the visitor's by default), ``{name}`` filled."""
    from verifier.i18n import DEFAULT, current_language, translate

    texts = PACK_MESSAGES.get(key)
    if texts is None:
        return translate(key, params or None, lang=lang)
    template = texts.get(lang or current_language()) or texts.get(DEFAULT) or key
    return template.format_map(_Params(params))


class _Params(dict[str, object]):
    """A placeholder with no value shows as a dash, never a KeyError in a page."""

    def __missing__(self, key: str) -> object:
        return "—"

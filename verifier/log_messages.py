"""Messages of the transparency log (API errors, the seal page's log block) in fr, en, ar."""

from __future__ import annotations

__all__ = ["LOG_MESSAGES"]

LOG_MESSAGES: dict[str, dict[str, str]] = {
    # API errors
    "log-bad-number": {
        "fr": "Paramètre « {field} » invalide : un nombre entier à partir de {minimum} est "
        "attendu.",
        "en": "Invalid parameter '{field}': a whole number from {minimum} up is expected.",
        "ar": "المعامل «{field}» غير صالح: يُنتظر عدد صحيح ابتداءً من {minimum}.",
    },
    "log-beyond-tree": {
        "fr": "« {field} » vaut {value}, au-delà de la taille du journal ({size} entrées).",
        "en": "'{field}' is {value}, beyond the size of the log ({size} entries).",
        "ar": "قيمة «{field}» هي {value}، وهي تتجاوز حجم السجل ({size} مدخلات).",
    },
    "log-order": {
        "fr": "« {low} » ne peut pas dépasser « {high} ».",
        "en": "'{low}' cannot be greater than '{high}'.",
        "ar": "لا يمكن أن تتجاوز «{low}» قيمة «{high}».",
    },
    "log-empty": {
        "fr": "Le journal de transparence est vide : aucun certificat n'y a encore été inscrit.",
        "en": "The transparency log is empty: no certificate has been logged yet.",
        "ar": "سجل الشفافية فارغ: لم تُقيَّد فيه أي شهادة بعد.",
    },
    "log-not-logged": {
        "fr": "Ce certificat ne figure pas dans l'arbre de {size} entrées du journal.",
        "en": "This certificate is not in the log's tree of {size} entries.",
        "ar": "هذه الشهادة غير موجودة في شجرة السجل ذات {size} مدخلات.",
    },
    # The seal page
    "log-heading": {
        "fr": "Journal de transparence",
        "en": "Transparency log",
        "ar": "سجل الشفافية",
    },
    "log-summary": {
        "fr": "Ce certificat est inscrit au journal public de transparence (tête d'arbre "
        "signée le {date}).",
        "en": "This certificate is recorded in the public transparency log (tree head signed "
        "on {date}).",
        "ar": "هذه الشهادة مقيَّدة في سجل الشفافية العام (رأس الشجرة موقَّع بتاريخ {date}).",
    },
    "log-revoked-summary": {
        "fr": "Sa révocation y est inscrite aussi.",
        "en": "Its revocation is recorded there too.",
        "ar": "إلغاؤها مقيَّد فيه أيضًا.",
    },
    "log-leaf-index": {"fr": "Index de l'entrée", "en": "Leaf index", "ar": "رقم المدخل"},
    "log-tree-size": {"fr": "Taille de l'arbre", "en": "Tree size", "ar": "حجم الشجرة"},
    "log-missing": {
        "fr": "Ce certificat ne figure pas encore dans le journal public de transparence.",
        "en": "This certificate is not in the public transparency log yet.",
        "ar": "هذه الشهادة ليست مقيَّدة بعد في سجل الشفافية العام.",
    },
    "log-root": {"fr": "Racine de l'arbre", "en": "Tree root", "ar": "جذر الشجرة"},
    "log-details": {
        "fr": "Preuve d'inclusion (RFC 6962)",
        "en": "Inclusion proof (RFC 6962)",
        "ar": "إثبات التضمين (RFC 6962)",
    },
    "log-event-issue": {"fr": "Émission", "en": "Issuance", "ar": "الإصدار"},
    "log-event-revoke": {"fr": "Révocation", "en": "Revocation", "ar": "الإلغاء"},
    "log-leaf-hash": {"fr": "Empreinte de l'entrée", "en": "Leaf hash", "ar": "بصمة المدخل"},
    "log-audit-path": {"fr": "Chemin d'audit", "en": "Audit path", "ar": "مسار التدقيق"},
    "log-how": {
        "fr": "Chacun peut vérifier cette preuve avec l'API publique /api/v1/log/ "
        "(voir docs/transparency-log.md).",
        "en": "Anyone can check this proof with the public API /api/v1/log/ "
        "(see docs/transparency-log.md).",
        "ar": "يمكن لأي شخص التحقق من هذا الإثبات عبر الواجهة العامة /api/v1/log/ "
        "(انظر docs/transparency-log.md).",
    },
}

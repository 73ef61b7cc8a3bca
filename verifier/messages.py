"""Error and API messages in French, English and Arabic (see verifier/i18n.py).

Keys are the stable error codes the API returns beside the message, so that a client can act
on the code and show the message.
"""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, dict[str, str]] = {
    "trust-list-unavailable": {
        "fr": "La liste de confiance ne peut pas être signée : aucune clé de liste active.",
        "en": "The trust list cannot be signed: no active trust-list key.",
        "ar": "لا يمكن توقيع قائمة الثقة: لا يوجد مفتاح قائمة نشط.",
    },
    "unauthorized": {
        "fr": "Un jeton d'API valide est requis (en-tête Authorization: Bearer ...).",
        "en": "A valid API token is required (Authorization: Bearer ... header).",
        "ar": "يلزم رمز API صالح (ترويسة Authorization: Bearer ...).",
    },
    "forbidden-scope": {
        "fr": "Ce jeton ne permet pas l'action « {scope} ».",
        "en": "This token does not allow the '{scope}' action.",
        "ar": "هذا الرمز لا يسمح بالإجراء «{scope}».",
    },
    "not-found": {
        "fr": "Cette page ou cette ressource n'existe pas.",
        "en": "This page or resource does not exist.",
        "ar": "هذه الصفحة أو هذا المورد غير موجود.",
    },
    "certificate-not-found": {
        "fr": "Aucun certificat ne porte cet identifiant.",
        "en": "No certificate has this identifier.",
        "ar": "لا توجد شهادة بهذا المعرّف.",
    },
    "method-not-allowed": {
        "fr": "Cette méthode HTTP n'est pas acceptée ici.",
        "en": "This HTTP method is not allowed here.",
        "ar": "طريقة HTTP هذه غير مسموح بها هنا.",
    },
    "malformed-seal": {
        "fr": "Ce texte n'est pas un sceau Sceau lisible : {detail}.",
        "en": "This text is not a readable Sceau seal: {detail}.",
        "ar": "هذا النص ليس ختمًا مقروءًا من Sceau: {detail}.",
    },
    "no-file": {
        "fr": "Joignez le PDF dans le champ « file » d'un envoi multipart/form-data.",
        "en": "Attach the PDF in the 'file' field of a multipart/form-data request.",
        "ar": "أرفق ملف PDF في الحقل «file» لطلب multipart/form-data.",
    },
    "empty-file": {
        "fr": "Le fichier envoyé est vide.",
        "en": "The file sent is empty.",
        "ar": "الملف المرسل فارغ.",
    },
    "not-a-pdf": {
        "fr": "Le fichier envoyé n'est pas un PDF.",
        "en": "The file sent is not a PDF.",
        "ar": "الملف المرسل ليس ملف PDF.",
    },
    "too-large": {
        "fr": "Le fichier dépasse la taille maximale de {limit} Mo.",
        "en": "The file is larger than the maximum of {limit} MB.",
        "ar": "حجم الملف يتجاوز الحد الأقصى البالغ {limit} ميغابايت.",
    },
    "bad-json": {
        "fr": "Le corps de la requête doit être un objet JSON.",
        "en": "The request body must be a JSON object.",
        "ar": "يجب أن يكون جسم الطلب كائن JSON.",
    },
    "invalid-field": {
        "fr": "Champ « {field} » invalide : {detail}.",
        "en": "Invalid field '{field}': {detail}.",
        "ar": "الحقل «{field}» غير صالح: {detail}.",
    },
    "idempotency-key-missing": {
        "fr": "L'en-tête Idempotency-Key (1 à 200 caractères) est requis pour émettre.",
        "en": "The Idempotency-Key header (1 to 200 characters) is required to issue.",
        "ar": "ترويسة Idempotency-Key (من 1 إلى 200 حرف) مطلوبة للإصدار.",
    },
    "idempotency-conflict": {
        "fr": "Cette Idempotency-Key a déjà servi pour une autre demande.",
        "en": "This Idempotency-Key was already used for a different request.",
        "ar": "استُخدم مفتاح Idempotency-Key هذا من قبل لطلب مختلف.",
    },
    "cannot-issue": {
        "fr": "Émission impossible : {detail}.",
        "en": "Cannot issue: {detail}.",
        "ar": "تعذّر الإصدار: {detail}.",
    },
    "already-revoked": {
        "fr": "Ce certificat est déjà révoqué.",
        "en": "This certificate is already revoked.",
        "ar": "هذه الشهادة ملغاة بالفعل.",
    },
    "rate-limited": {
        "fr": "Trop de vérifications depuis votre adresse ; réessayez dans une minute.",
        "en": "Too many verifications from your address; try again in a minute.",
        "ar": "عدد كبير جدًا من عمليات التحقق من عنوانك؛ أعد المحاولة بعد دقيقة.",
    },
    "bad-request": {
        "fr": "Requête incorrecte.",
        "en": "Bad request.",
        "ar": "طلب غير صحيح.",
    },
    "unsupported-media-type": {
        "fr": "Type de contenu non accepté : envoyez {expected}.",
        "en": "Unsupported content type: send {expected}.",
        "ar": "نوع محتوى غير مقبول: أرسل {expected}.",
    },
    "internal-error": {
        "fr": "Erreur interne : rien n'a été enregistré. Réessayez ou signalez-la.",
        "en": "Internal error: nothing was recorded. Try again or report it.",
        "ar": "خطأ داخلي: لم يُسجَّل أي شيء. أعد المحاولة أو أبلغ عنه.",
    },
    "forbidden": {
        "fr": "Votre compte ne donne pas accès à cette page.",
        "en": "Your account does not give access to this page.",
        "ar": "حسابك لا يتيح الوصول إلى هذه الصفحة.",
    },
    "csrf-failed": {
        "fr": "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et "
        "recommencez.",
        "en": "The form has expired or did not come from this site: reload the page and try again.",
        "ar": "انتهت صلاحية النموذج أو أنه لم يأتِ من هذا الموقع: أعد تحميل الصفحة وحاول مجددًا.",
    },
    "throttled": {
        "fr": "Trop d'essais infructueux : attendez 15 minutes avant de réessayer.",
        "en": "Too many failed attempts: wait 15 minutes before trying again.",
        "ar": "محاولات فاشلة كثيرة جدًا: انتظر 15 دقيقة قبل المحاولة مجددًا.",
    },
    "password-too-short": {
        "fr": "Le mot de passe doit compter au moins 12 caractères.",
        "en": "The password must be at least 12 characters long.",
        "ar": "يجب أن تتكون كلمة المرور من 12 حرفًا على الأقل.",
    },
    "password-too-simple": {
        "fr": "Ce mot de passe est trop simple : variez les caractères.",
        "en": "This password is too simple: use more varied characters.",
        "ar": "كلمة المرور هذه بسيطة جدًا: نوّع الأحرف.",
    },
}

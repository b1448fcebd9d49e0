"""Messages of Django's (and django-axes') templates, forms and models that Django's zh_Hans catalogue leaves untranslated
(or, for ":", translates as the ASCII colon). Marked here so that `make messages` keeps fazhi's
translations of them in fazhi's catalogue, which takes precedence (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

BORROWED_MSGIDS = (
    gettext_noop(":"),  # forms' label_suffix: 编号： with the full-width colon, as pages print it
    gettext_noop("Model name"),  # the admin index's table headers (read by screen readers)
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Attempt Time"),  # django-axes' columns in the admin (its catalogue has no zh_Hans)
    gettext_noop("Locked Out"),
    gettext_noop("Path"),
)

from django.db import models
from django.utils.translation import gettext_lazy as _


class LibrarySpace(models.TextChoices):
    ORGANISATION = "org", _("Organisation documents")  # 组织文档
    PERSONAL = "personal", _("Personal documents")  # 个人文档

"""Wagtail pages of the platform's public content: notices, announcements and the glossary."""
import datetime

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The root of the content tree; notices, announcements and guides live below it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.NoticeIndexPage", "cms.AnnouncementIndexPage", "cms.GlossaryPage"]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("content home page")


class ArticleIndexPage(Page):
    """A paginated list of dated articles (its live, public children), newest first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    per_page = 15
    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.selectors import articles_for_index

        paginator = Paginator(articles_for_index(index_page=self), self.per_page)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        return context


class ArticlePage(Page):
    """A dated article with a rich body and attached documents."""

    date = models.DateField(_("date"), default=datetime.date.today)
    body = RichTextField(_("body"), blank=True)
    attachments = StreamField(
        [("document", DocumentChooserBlock(label=_("document")))], verbose_name=_("attachments"), blank=True
    )

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("body"), FieldPanel("attachments")]
    search_fields = Page.search_fields + [index.SearchField("body"), index.FilterField("date")]
    subpage_types = []
    class Meta:
        abstract = True


class NoticeIndexPage(ArticleIndexPage):
    """通知公告: the list of notices."""

    subpage_types = ["cms.NoticePage"]
    template = "cms/article_index_page.html"  # Wagtail does not inherit `template`

    class Meta:
        verbose_name = _("notice list")


class NoticePage(ArticlePage):
    """通知公告: one notice."""

    parent_page_types = ["cms.NoticeIndexPage"]
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")


class AnnouncementIndexPage(ArticleIndexPage):
    """平台公告: the list of platform announcements."""

    subpage_types = ["cms.AnnouncementPage"]
    template = "cms/article_index_page.html"

    class Meta:
        verbose_name = _("announcement list")


class AnnouncementPage(ArticlePage):
    """平台公告: one platform announcement."""

    parent_page_types = ["cms.AnnouncementIndexPage"]
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")


class GlossaryPage(Page):
    """指标解释: the monthly report's indicators (name, unit, explanation), read from its form definition."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1
    template = "cms/glossary_page.html"

    class Meta:
        verbose_name = _("indicator glossary")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.selectors import glossary_entries

        context["entries"] = glossary_entries()
        return context

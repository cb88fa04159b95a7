"""Every page speaks the user's language (issue 21 §5).

The back office (each page of Wagtail's admin menu, for the national and for a county administrator)
and the portal (an enterprise clerk's pages, the monthly report's wizard steps among them) are rendered
with the test client in zh-hans and in English and read as a person sees them: the text outside
script/style/hidden elements, and the title, placeholder, aria-label and alt attributes.

- In zh-hans no ASCII word may show outside an allow-list: codes, numbers, units, product names, and
  what the data holds (login names, e-mail addresses).
- In English no Chinese may show outside data values: enterprise, region and industry names, people's
  and offices' names, answers, and the texts of form definitions that have no ``_en`` twin (a text
  with an ``_en`` twin must show the twin).

The demo data is built once for the module through the real services (seed_demo), inside a
transaction rolled back at the end; each language is one test.
"""
import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve

from formdefs.engine.localize import UNITS_EN

# -- reading a page as a person sees it ----------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Elements whose content is not read as text: scripts, markup kept for later, values typed by users, and
#: code (a field's id, a format keyword) which is the same in every language.
SKIP = {"script", "style", "template", "noscript", "svg", "textarea", "code", "kbd", "samp"}
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class VisibleText(HTMLParser):
    """The visible texts of a page as (where, text), and its links for the crawl. An element in another
    language than the page's (`lang`: the language switch's 简体中文 / English) is skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.language = None
        self.stack = []  # (tag, hidden)
        self.texts = []
        self.links = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.language = attributes.get("lang")
        other_language = tag != "html" and attributes.get("lang") not in (None, "", self.language)
        hidden = self._hidden() or tag in SKIP or other_language or "hidden" in attributes or (
            tag == "input" and attributes.get("type") == "hidden") or re.search(
            r"display\s*:\s*none", attributes.get("style", "")) is not None
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if not hidden:
            for name in ATTRIBUTES:
                if attributes.get(name, "").strip():
                    self.texts.append((f"@{name}", attributes[name].strip()))
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
                self.texts.append(("@value", attributes["value"].strip()))
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.texts.append(("text", " ".join(data.split())))


def visible(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


# -- what counts as the wrong language ---------------------------------------------------------

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
#: A run of Chinese, with the digits inside it (年10月); spaces, ASCII signs and · end it.
CJK_RUN = re.compile(rf"[{CJK}](?:[{CJK}0-9]*[{CJK}])?")
#: ASCII tokens; a token with a digit, an underscore, @, / or an inner dot is a code, a number,
#: an address or a file name, not a word.
TOKEN = re.compile(r"[A-Za-z0-9_@./:'’+\-]+")
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?-?")

#: ASCII words that are right in Chinese text: product and format names, units, keys.
ZH_ALLOWED = {
    "qq", "xlsform", "ref", "doc", "docx", "dps", "et", "gif", "jpeg", "jpg", "png", "ppt", "pptx", "txt", "wps", "zip",
    "excel", "xlsx", "xls", "csv", "json", "pdf", "api", "sms", "url", "id", "ip", "http", "https",
    "openapi", "wagtail", "echarts", "token", "bearer", "uscc", "kg", "km", "kwh", "cel", "gb", "mb",
    "kb", "ctrl", "shift", "alt", "esc", "enter", "tab", "cmd", "option", "html", "utc", "www", "email",
    "e-mail",
}


#: Literal names, the same in every language: `formdef check`, “survey” in Chinese, “国统制〔2024〕12号” in English.
LITERAL = re.compile(r"`[^`]*`|“[^”]*”|「[^」]*」")


def zh_offences(text: str, data_words: set) -> list:
    """The ASCII words of a zh-hans page's text that are neither allowed, literal names nor data."""
    found = []
    for token in TOKEN.findall(LITERAL.sub(" ", text)):
        core = token.strip(".:'’-/+")
        if not core or re.search(r"[0-9_@/]", core) or "." in core:
            continue
        for word in WORD.findall(core):
            word = word.rstrip("-")
            if len(word) < 2 or word.lower() in ZH_ALLOWED or word.lower() in data_words:
                continue
            found.append(word)
    return found


def en_offences(text: str, data_runs: set) -> list:
    """The runs of Chinese in an English page's text that are neither data nor quoted examples (e.g. “工业和信息化部”)."""
    return [run for run in CJK_RUN.findall(LITERAL.sub(" ", text)) if run not in data_runs]


def _definition_texts(node, allowed: set, translated: set, *, definition: bool):
    """Texts of a JSON value: in a definition, those with an `_en` twin (and standard units, which
    formdefs.engine.localize.UNITS_EN translates) must show in English; the others are data."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                english = definition and (node.get(f"{key}_en") or (key == "unit" and value in UNITS_EN))
                (translated if english else allowed).add(value)
            else:
                _definition_texts(value, allowed, translated, definition=definition)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, str):
                allowed.add(value)
            else:
                _definition_texts(value, allowed, translated, definition=definition)


#: Apps whose stored texts are data (names, answers, reasons, notices); choices fields are codes, not texts.
DATA_APPS = ("regions", "accounts", "enterprises", "reporting", "workflow", "filing", "survey_builder", "formdefs",
             "reminders", "imports", "cms", "wagtailcore", "wagtaildocs")


def data_values():
    """(ASCII words of the data, Chinese runs of the data): what pages may show in either language."""
    from django.apps import apps
    from django.db import models

    from accounts.models import AdministratorProfile, User
    from enterprises.models import Enterprise
    from formdefs.models import FormVersion
    from wagtail.models import Page

    values, answers, translated = set(), set(), set()
    for model in apps.get_models():
        if model._meta.app_label not in DATA_APPS or model._meta.proxy:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                if isinstance(value, str):
                    values.add(value)
                elif value and model is FormVersion:
                    _definition_texts(value, values, translated, definition=True)
                elif value:  # answers (a product's unit 件 is what the enterprise typed)
                    _definition_texts(value, answers, set(), definition=False)
    from regions.models import Region

    regions = {r.pk: r for r in Region.objects.all()}
    for region in regions.values():  # 浙江省宁波市海曙区, as Region.full_name says it
        names, node = [], region
        while node is not None:
            names.append(node.name)
            node = regions.get(node.parent_id)
        values.add("".join(reversed(names)))
    runs_of = lambda texts: {run for text in texts for run in CJK_RUN.findall(text)}  # noqa: E731
    # A text a definition also gives in English (its title, a label) must show in English.
    # Reference data (regions, industries, registration and holding types) has no English: it stays data
    # even where the registration form's options translate it.
    reference = {text for model in apps.get_app_config("regions").get_models()
                 for field in model._meta.concrete_fields if isinstance(field, models.CharField) and not field.choices
                 for text in model.objects.values_list(field.name, flat=True)}
    runs = runs_of((values - translated) | reference | answers)
    words = set()
    for texts in (Enterprise.objects.values_list("name", flat=True), User.objects.values_list("real_name", flat=True),
                  User.objects.values_list("username", flat=True),
                  AdministratorProfile.objects.values_list("organisation", flat=True),
                  Page.objects.values_list("title", flat=True)):  # Wagtail's tree root is titled Root
        words.update(w.lower() for text in texts for w in WORD.findall(text or ""))
    return words, runs


class PostForm(HTMLParser):
    """The values of a page's wizard form as a browser would post them (inputs, checked boxes, selects)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self.action, self._form, self._select, self._textarea = {}, None, False, None, None

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and self.action is None:
            self._form, self.action = True, a.get("action", "")
        if not self._form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.data):
            self.data[self._select] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form:
            self._form = False
            self.action = self.action or ""
            self._form_done = True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def wizard_form(html: str) -> dict:
    start = html.find('name="wizard_action"')
    form_start = html.rfind("<form", 0, start)
    parser = PostForm()
    parser.feed(html[form_start:])
    return parser.data


# -- the pages -------------------------------------------------------------------------------------

#: URL names never followed: they act, download a file or leave.
NOT_FOLLOWED = re.compile(r"logout|export|download|template|withdraw|cancel|print|set_language|delete|handover|"
                          r"switch|apply$|send-code|file|xlsx|api|docs|wagtaildocs_serve|openapi|"
                          r"copy|_add$|:add$|create|new$|bulk")
#: The data-integration API's pages speak its clients' language (Accept-Language), not the user's.
NOT_CRAWLED = ("/api/",)
PER_NAME = 1  # pages followed per URL name (each detail page is drawn by the same template)


def admin_menu_urls(user) -> list:
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    urls = []

    def walk(items):
        for item in items:
            if getattr(item, "url", None) and item.url not in ("#", ""):
                urls.append(item.url)
            if getattr(item, "menu", None) is not None:
                walk(item.menu.menu_items_for_request(request))

    walk(admin_menu.menu_items_for_request(request))
    return ["/admin/", "/admin/account/"] + urls


def crawl(client, seeds, *, follow_prefix, depth=1):
    """Render the seeds and the pages they link to (`depth` levels, PER_NAME per URL name): {url: html}."""
    pages, seen, per_name = {}, set(), defaultdict(int)
    frontier = [(url, 0) for url in seeds]
    while frontier:
        url, level = frontier.pop(0)
        path = urlsplit(url).path
        if url in seen or path.startswith(NOT_CRAWLED):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        html = response.content.decode()
        pages[final] = html
        if level >= depth:
            continue
        for href in visible(html).links:
            target = urljoin(final, href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith(follow_prefix) or parts.path in seen:
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            name = match.view_name or parts.path
            if NOT_FOLLOWED.search(name) or NOT_FOLLOWED.search(parts.path) or per_name[name] >= PER_NAME:
                continue
            per_name[name] += 1
            frontier.append((parts.path + (f"?{parts.query}" if parts.query else ""), level + 1))
    return pages


def wizard_steps(client, url) -> dict:
    """Each step of the report wizard that `url` opens, reached with 下一步 posting the values the step
    shows, and the page after the last step (step 4: questionnaires and 上报)."""
    pages, steps = {}, []
    response = client.get(url, follow=True)
    url = response.redirect_chain[-1][0] if response.redirect_chain else url
    while True:
        html = response.content.decode()
        data = wizard_form(html) if 'name="wizard_action"' in html else {}
        step = next((v[0] for k, v in data.items() if k.endswith("current_step")), None)
        pages[f"{url}#{step}" if step else url] = html
        if not data or step in steps:
            return pages  # past the last step, or a step that did not validate (it stays)
        steps.append(step)
        response = client.post(url, data | {"wizard_action": ["next"]}, follow=True)
        url = response.redirect_chain[-1][0] if response.redirect_chain else url



# -- the crawl, once per module ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """seed_demo with its 14 months of reports, kept for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(
            DEMO_REPORTS=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with transaction.atomic():
            from accounts.demo import seed_demo
            from reporting.demo import seed_demo as reports_seed_demo

            seed_demo()
            reports_seed_demo()
            yield data_values()
            transaction.set_rollback(True)


#: Who is crawled where: (login, seeds or None for the admin menu, link levels followed).
#: The national administrator's menu pages and the pages they link to (one per URL name), the county
#: administrator's menu pages (what its narrower scope shows), an enterprise clerk's portal and the pages
#: it links to, and the software enterprise's 填报任务.
PORTAL = ["/", "/reports/", "/reports/import/", "/surveys/", "/tasks/", "/enterprise/associations/",
          "/accounts/profile/", "/accounts/mobile/"]
VISITS = [("sme_admin", None, 1), ("sme_haishu", None, 0), ("cms_editor", None, 1), ("com_demo02", PORTAL, 1),
          ("com_soft01", ["/tasks/", "/tasks/apply/", "/tasks/reports/"], 1)]


def render_all(client, language: str) -> dict:
    """{(login, url): html} of the pages of VISITS and the monthly report's wizard steps, in `language`."""
    from django.conf import settings
    from wagtail.users.models import UserProfile

    from accounts.models import User

    pages = {}
    # The portal reads the language cookie (set_language); Accept-Language is ignored (DefaultLanguageMiddleware).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for username, seeds, depth in VISITS:
        user = User.objects.get(username=username)
        if seeds is None:
            # The back office speaks the administrator's preferred language (Wagtail's account page).
            UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
        client.force_login(user)
        prefix = "/admin/" if seeds is None else "/"
        for url, html in crawl(client, seeds or admin_menu_urls(user), follow_prefix=prefix, depth=depth).items():
            pages[(username, url)] = html
        if username == "com_demo02":
            for url, html in wizard_steps(client, "/reports/current/").items():
                pages[(username, url)] = html
    return pages



#: (URL, text) shown as they are, and why.
KNOWN = {
    # Wagtail prints the publisher of a page published by no user (the demo's content) as None.
    ("/admin/reports/aging-pages/", "None"),
}


def offences(pages: dict, check) -> list:
    return sorted({f"{who} {url} {where}: {text[:120]!r} -> {', '.join(bad)}"
                   for (who, url), html in pages.items() for where, text in visible(html).texts
                   if (url, text) not in KNOWN and (bad := check(text))})


def test_chinese_pages_show_no_english_words(demo_data, db, client):
    words, _runs = demo_data
    pages = render_all(client, "zh-hans")
    assert len(pages) > 80 and any("#indicators" in url for _who, url in pages)
    found = offences(pages, lambda text: zh_offences(text, words))
    assert not found, ("English words on zh-hans pages (translate the msgid, wrap the string in gettext, or add "
                       "a code or product name to ZH_ALLOWED):\n" + "\n".join(found))


def test_english_pages_show_no_chinese_outside_data(demo_data, db, client):
    _words, runs = demo_data
    pages = render_all(client, "en")
    assert len(pages) > 80 and any("#indicators" in url for _who, url in pages)
    found = offences(pages, lambda text: en_offences(text, runs))
    assert not found, ("Chinese on English pages outside the data (a msgid with Chinese in it, a definition "
                       "text shown without its _en twin, a hard-coded string or full-width bracket):\n" + "\n".join(found))


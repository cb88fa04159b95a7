"""Demo content: the page structure, two notices, one announcement, the guides and service support.

Idempotent: running it again changes nothing.
"""
import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection

from .content import content_structure_ensure, editor_permissions_ensure
from .models import AnnouncementPage, NoticePage, ServiceSupportSettings

NOTICES = [
    ("关于开展优化中小企业发展环境和扶持政策落实情况问卷调查的通知", datetime.date(2026, 3, 2),
     "<p>请各监测企业于本月20日前登录平台完成问卷填报。</p>"),
    ("关于做好2026年度中小企业运行监测数据报送工作的通知", datetime.date(2026, 1, 15),
     "<p>各地区、各监测企业应按月在规定时间内完成月度指标报送。</p>"),
]
ANNOUNCEMENTS = [
    ("运行监测平台完成系统升级", datetime.date(2026, 2, 10), "<p>平台已完成升级，新增文档管理、问卷调查等功能。</p>"),
]
GUIDES = [
    ("submission_guide", "报送指南", "submission-guide.txt",
     "报送指南\n\n1. 登录平台，进入当期报送。\n2. 按向导逐页填写月度指标，可随时保存。\n3. 检查无误后提交，等待地方管理员审核。\n"),
    ("user_manual", "用户手册", "user-manual.txt",
     "用户手册\n\n用户中心：修改基本信息、手机号和密码。\n功能导航：当期报送、上报导入、历史报送。\n"),
    ("indicator_guide", "指标解释", "indicator-guide.txt",
     "指标解释\n\n各项指标的名称、计量单位和解释见平台“指标解释”页面，与月度报表保持一致。\n"),
]


#: The demo content editor (内容编辑): publishes notices, guides and documents in /admin/.
EDITOR_LOGIN, EDITOR_MOBILE = "cms_editor", "13700000009"


def _editor_ensure(group, lines) -> None:
    from accounts.demo import DEMO_PASSWORD
    from accounts.enums import UserKind
    from accounts.models import User

    if User.objects.filter(username=EDITOR_LOGIN).exists():
        return
    user = User.objects.create_user(username=EDITOR_LOGIN, password=DEMO_PASSWORD, mobile=EDITOR_MOBILE,
                                    kind=UserKind.EDITOR, is_staff=True, real_name="内容编辑")
    user.groups.add(group)
    lines.append(f"content editor {EDITOR_LOGIN}")


def _publish_articles(index, model, items, lines):
    for title, date, body in items:
        if model.objects.filter(title=title).exists():
            continue
        page = index.add_child(instance=model(title=title, date=date, body=body))
        page.save_revision().publish()
        index.refresh_from_db()
        lines.append(f"{model._meta.verbose_name} {title}")


@transaction.atomic
def seed_demo() -> list[str]:
    """The page structure, notices, guides and service support. The notices and the announcement carry
    fixed dates in early 2026, not dates relative to today: on any later day they read as past news."""
    lines = []
    pages = content_structure_ensure()
    _editor_ensure(editor_permissions_ensure(), lines)
    _publish_articles(pages["notices"], NoticePage, NOTICES, lines)
    _publish_articles(pages["announcements"], AnnouncementPage, ANNOUNCEMENTS, lines)

    support = ServiceSupportSettings.load()
    Document = get_document_model()
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name="指南").first() or root.add_child(name="指南")
    for field, title, filename, text in GUIDES:
        if getattr(support, f"{field}_id"):
            continue
        document = Document.objects.filter(title=title, collection=collection).first()
        if document is None:
            # A UTF-8 byte order mark so browsers show the Chinese text correctly when opened inline.
            document = Document(title=title, collection=collection)
            document.file.save(filename, ContentFile(b"\xef\xbb\xbf" + text.encode("utf-8")), save=False)
            document.save()
            lines.append(f"guide {title}")
        setattr(support, field, document)
    if not support.hotline:
        support.administrator_contact = "平台管理员 王老师 010-68205000"
        support.hotline = "010-68205000"
        support.user_groups = "企业QQ群 123456789"
        support.service_hours = "周一至周五 8:00-17:00（法定节假日除外）"
        lines.append("service support contacts")
    support.save()
    return lines

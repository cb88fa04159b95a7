"""How much work the questionnaire designer asks: build the 15-question Shanghai monthly survey
(上海企业经济月度调查问卷, spec seed 001) in Chromium and count clicks, typed fields and full page loads.

    .venv/bin/python bench/designer_clicks.py            # every way the designer offers
    .venv/bin/python bench/designer_clicks.py classic    # only the buttons (one option at a time)
    .venv/bin/python bench/designer_clicks.py whole bank # paste whole questions; the question bank

Runs the real designer on Django's live server (the e2e fixtures: demo data, Debian's Chromium) as
sme_ningbo and prints one line per way, e.g. `classic clicks=126 typed=63 loads=45 seconds=…`.
`loads` counts full page loads (the browser's load event) from step 1 to the end of step 2 (the
questions); an htmx swap is not a page load. Not part of the test suite (it takes tens of seconds).
"""
import datetime
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Demo@2026sme"

#: The Shanghai monthly survey (seed 001, 调查问卷): 15 single-choice questions.
SURVEY = [
    ("企业总体生产经营状况(本月实际)", ["良好", "一般", "不良"]),
    ("企业总体生产经营状况(下月预期)", ["良好", "一般", "不良"]),
    ("企业所在行业整体经营状况(本月实际)", ["良好", "一般", "不良"]),
    ("企业所在行业整体经营状况(下月预期)", ["良好", "一般", "不良"]),
    ("本月企业招工情况", ["达到90%以上", "达到75-90%", "达到50-75%", "达到25-50%", "达到不足25%", "不需要招工"]),
    ("国内市场订单情况", ["市场订单增加", "市场订单维持现状", "市场订单减少", "其他"]),
    ("产品出口订单情况", ["出口订单增加", "出口订单维持现状", "出口订单减少", "本企业没有出口"]),
    ("企业流动资金情况", ["流动资金充裕", "流动资金紧张(缺口20%以上)", "流动资金紧张(缺口20%及以下)", "流动资金基本正常"]),
    ("企业融资需求能否满足", ["没有融资需求", "融资需求能够得到满足", "融资需求无法得到满足"]),
    ("近期原材料购入价格变化情况", ["近期原材料购入价格下降", "近期原材料购入价格平稳", "近期原材料购入价格上升", "其他"]),
    ("近期能源购入价格变化情况", ["近期能源购入价格下降", "近期能源购入价格平稳", "近期能源购入价格上升", "其他"]),
    ("企业本月用电量比上月变化情况", ["增加", "基本持平", "减少"]),
    ("企业本月生产管理人员的数目比上月变化情况", ["增加", "基本持平", "减少"]),
    ("企业本月新增或追加资产投资的意愿与上月相比变化情况", ["增强", "不变", "减弱"]),
    ("贵企业节后复工复产时间", ["春节假期未停产", "正月初七(2月18日)前复产", "正月初十(2月21日)前复产", "正月十五(2月26日)前复产",
                         "正月二十(3月3日)前复产", "正月二十(3月3日)后复产"]),
]


class Counted:
    """The page, with every click, typed field and full page load counted."""

    def __init__(self, page):
        self.page, self.clicks, self.typed, self.loads = page, 0, 0, 0
        page.on("load", lambda _page: self._loaded())

    def _loaded(self):
        self.loads += 1

    def click(self, selector):
        """A click that sends the form: wait for its answer (a new page, or since issue 20 an htmx redraw)."""
        self.clicks += 1
        with self.page.expect_response(lambda r: r.request.method == "POST" and "autosave=1" not in (r.request.post_data or "")):
            self.page.click(selector)
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")

    def toggle(self, selector):
        """A click that only opens or closes something on the page."""
        self.clicks += 1
        self.page.click(selector)

    def fill(self, selector, text):
        self.typed += 1
        self.page.fill(selector, text)

    def check(self, selector):
        self.clicks += 1
        self.page.check(selector)


def theme(c: Counted, base: str):
    c.page.goto(f"{base}/admin/surveys/new/")
    c.loads = 0
    c.fill("#id_title", "上海企业经济月度调查问卷")
    c.fill("#id_description", "了解本市企业生产经营、用工、订单、资金和价格的月度变化。")
    c.check("input[name=frequency][value=monthly]")
    c.fill("#id_starts_on", "2020-01-01")
    c.fill("#id_ends_on", f"{datetime.date.today().year + 1}-12-31")
    c.click("main button[name=action][value=next] >> nth=0")
    c.page.wait_for_url("**/design/2/")


def questions_classic(c: Counted):
    """Today's way: 添加 a question, type its text, 添加选项 until there are enough, type each option."""
    for number, (text, options) in enumerate(SURVEY, 1):
        qid = f"q{number}"
        c.click("button[name=op][value='add:single']")
        for _extra in range(len(options) - 2):
            c.click(f"button[name=op][value='item_add:{qid}:options']")
        c.fill(f"#q-{qid}-text", text)
        for index, label in enumerate(options, 1):
            c.fill(f"input[name='q-{qid}-options-o{index}']", label)
    c.click("main button[name=action][value=save] >> nth=0")


def _paste(c: Counted, selector: str, text: str):
    """Paste `text` into a field (one typed field): what a browser sends on Ctrl+V of copied lines."""
    c.typed += 1
    c.page.focus(selector)
    with c.page.expect_response(lambda r: r.request.method == "POST" and "_paste" in (r.request.post_data or "")):
        c.page.evaluate("""([selector, text]) => {
            const data = new DataTransfer(); data.setData("text/plain", text);
            document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""", [selector, text])
    c.page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


def _add_pasted(c: Counted, number: int, text: str, options: list[str]):
    qid = f"q{number}"
    c.click("button[name=op][value='add:single']")
    c.page.wait_for_selector(f"#q-{qid}-text")
    c.fill(f"#q-{qid}-text", text)
    _paste(c, f"#q-{qid}-options-o1", "\n".join(options))
    c.page.wait_for_selector(f"#q-{qid}-options-o{len(options)}")


def questions_paste(c: Counted):
    """Since issue 20: add a question, type its text, paste its options copied from the paper form (one per line)."""
    for number, (text, options) in enumerate(SURVEY, 1):
        _add_pasted(c, number, text, options)
    c.click("main button[name=action][value=save] >> nth=0")


def questions_paste_whole(c: Counted):
    """Since issue 20: add a question and paste it whole, the question and its options below it, into its text box."""
    for number, (text, options) in enumerate(SURVEY, 1):
        qid = f"q{number}"
        c.click("button[name=op][value='add:single']")
        c.page.wait_for_selector(f"#q-{qid}-text")
        _paste(c, f"#q-{qid}-text", "\n".join([text, *options]))
        c.page.wait_for_selector(f"#q-{qid}-options-o{len(options)}")
    c.click("main button[name=action][value=save] >> nth=0")


def questions_bank(c: Counted):
    """Since issue 20: the 11 questions the national survey shares come from the question bank (one click each,
    the bank stays open), the other 4 are added and their options pasted."""
    c.toggle("#sb-bank > summary")
    for number, (text, _options) in enumerate(SURVEY[:11], 1):
        c.click(f"#sb-bank li:has-text('{text}') button")
        c.page.wait_for_selector(f"#q-q{number}-text")
    for number, (text, options) in enumerate(SURVEY[11:], 12):
        _add_pasted(c, number, text, options)
    c.click("main button[name=action][value=save] >> nth=0")


WAYS = {"classic": questions_classic, "paste": questions_paste, "whole": questions_paste_whole, "bank": questions_bank}


def _check(design: dict):
    assert [q["text"] for q in design["questions"]] == [t for t, _o in SURVEY]
    assert [[o["label"] for o in q["options"]] for q in design["questions"]] == [o for _t, o in SURVEY]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import shutil

    from tests.e2e.conftest import ARGS

    return {**browser_type_launch_args, "executable_path": shutil.which("chromium") or "/usr/bin/chromium", "args": ARGS}


def test_designer_clicks(live_server, e2e_demo, browser, request):
    from survey_builder.models import Questionnaire

    sys.path.insert(0, str(ROOT))
    from tests.e2e.conftest import login

    ways = request.config.getoption("designer_ways") or list(WAYS)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server.url, "sme_ningbo", PASSWORD, "13900000003")  # once: SMS codes are throttled
    page.wait_for_load_state("networkidle")
    page.close()
    for way in ways:
        page = context.new_page()
        c = Counted(page)
        started = datetime.datetime.now()
        theme(c, live_server.url)
        try:
            WAYS[way](c)
        except Exception:
            page.screenshot(path=str(ROOT / "screenshots" / f"designer-clicks-{way}-failed.png"), full_page=True)
            print(page.locator("#sb-editor").inner_text()[:3000])
            raise
        seconds = (datetime.datetime.now() - started).total_seconds()
        _check(Questionnaire.objects.filter(title="上海企业经济月度调查问卷", status="draft").latest("pk").design)
        print(f"\n{way} clicks={c.clicks} typed={c.typed} loads={c.loads} seconds={seconds:.1f}")
        page.close()
    context.close()


def pytest_addoption(parser):
    parser.addoption("--designer-ways", dest="designer_ways", action="append", default=[])


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    args = [str(Path(__file__).resolve()), "-q", "-s", "-p", "no:randomly", "-p", "tests.conftest", "-p", "tests.e2e.conftest",
            "-p", "bench.designer_clicks", "-o", "python_files=designer_clicks.py", "--rootdir", str(ROOT)]
    for way in sys.argv[1:]:
        args += ["--designer-ways", way]
    sys.exit(pytest.main(args))

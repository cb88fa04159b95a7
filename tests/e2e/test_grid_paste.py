"""The indicator grid in Chromium (issue 21 §1): a block copied from Excel pastes from the focused cell,
normalised, with unreadable cells flagged and overflow counted; each cell shows its saved state; 保存 keeps
everything typed, errors included, and says when. Desktop, then the same page at phone width."""
import re
from pathlib import Path

from playwright.sync_api import expect

from .conftest import login
from .test_reporting_journeys import MOBILE, PASSWORD, go, journey  # noqa: F401  (journey: fixture)

SHOTS = Path("/tmp/shots/h32")

#: As Excel puts a copied range on the clipboard: tab-separated, CRLF after each row, numbers as shown
#: (千分位, accounting negatives); the clerk's sheet has 营业收入, 营业成本, 期末借款余额, 财务费用 × four columns,
#: plus a stray fifth column in the last row.
BLOCK = ("5,610\t５６，１００\t5 273\t50,620\r\n"
         "4,325\t43,100\tabc\t40,210\r\n"
         "12,000\t12,000\t11,500\t11,500\r\n"
         "(35)\t−310\t-28\t-260\t999\r\n")


def paste(page, name, text):
    page.focus(f"input[name='{name}']")
    page.evaluate("""([name, text]) => {
        const data = new DataTransfer(); data.setData("text/plain", text);
        document.querySelector(`input[name="${name}"]`).dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [name, text])


def value(page, name):
    return page.input_value(f"input[name='{name}']")


def cell(page, name):
    return page.locator(f"td:has(> input[name='{name}'])")


def test_paste_a_block_from_excel_then_save_keeps_everything(live_server, journey, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, key = live_server.url, f"{journey['period']:%Y-%m}"
    login(page, base, "com_newco", PASSWORD, MOBILE)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/reports/sme_monthly/{key}/fill/")
    go(page, "next")
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")

    paste(page, "ind__revenue__month", BLOCK)
    assert [value(page, f"ind__revenue__{c}") for c in ("month", "ytd", "ly_month", "ly_ytd")] == ["5610", "56100", "5273", "50620"]
    assert [value(page, f"ind__finance_expense__{c}") for c in ("month", "ytd", "ly_month", "ly_ytd")] == ["-35", "-310", "-28", "-260"]
    assert value(page, "ind__cost__ly_month") == "abc"
    expect(cell(page, "ind__cost__ly_month")).to_contain_text("营业成本 · 上年本月：无法识别「abc」")
    expect(page.locator(".fd-paste-note")).to_have_text("粘贴的内容超出表格范围，有 1 个数值未填入。")
    expect(cell(page, "ind__revenue__month")).to_have_class(re.compile("fd-cell-changed"))
    expect(page.locator("[data-fd-pending-text]")).to_have_text("有未保存的修改（16 处）")
    page.screenshot(path=str(SHOTS / "grid-pasted-desktop.png"), full_page=True)

    # 保存 keeps all of it, the unreadable cell too, and says what happened.
    go(page, "save")
    expect(page.locator(".messages, main").first).to_contain_text(re.compile(r"已保存草稿 10:00，有 \d+ 处需更正"))
    expect(page.locator("[data-fd-saved-at]")).to_have_text("已保存 10:00")
    assert value(page, "ind__cost__ly_month") == "abc" and value(page, "ind__revenue__ytd") == "56100"
    expect(cell(page, "ind__revenue__month")).to_have_class(re.compile("fd-cell-saved"))
    expect(cell(page, "ind__revenue__month").locator(".fd-cell-state")).to_have_text("已保存")
    expect(cell(page, "ind__cost__ly_month")).to_have_class(re.compile("fd-cell-error"))
    expect(page.locator("[data-fd-pending-text]")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "grid-saved-desktop.png"), full_page=True)

    # At phone width: a row pasted into the card layout; a single value pastes as the browser pastes it.
    page.set_viewport_size({"width": 390, "height": 844})
    paste(page, "ind__receivables__month", "6,840\t６８，０００\r\n")
    assert (value(page, "ind__receivables__month"), value(page, "ind__receivables__ytd")) == ("6840", "68000")
    expect(cell(page, "ind__receivables__ytd")).to_have_class(re.compile("fd-cell-changed"))
    expect(page.locator("[data-fd-pending-text]")).to_have_text("有未保存的修改（2 处）")
    page.screenshot(path=str(SHOTS / "grid-pasted-phone.png"), full_page=True)

"""The text of a PDF that Chromium printed (`page.pdf()`), for asserting what is on paper without a PDF
library: streams inflated, each font's glyph codes mapped through its ToUnicode CMap, NFKC-normalised
(Chromium's CJK fonts map some characters to Kangxi radicals: ⼈ → 人). Good enough for Skia's PDFs only."""
import re
import unicodedata
import zlib


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        head, stream = match.group(2), None
        found = re.search(rb"stream\r?\n(.*?)\r?\nendstream", head, re.S)
        if found:
            head, stream = head[:found.start()], found.group(1)
            if b"/FlateDecode" in head:
                try:
                    stream = zlib.decompress(stream)
                except zlib.error:
                    stream = None
        objects[int(match.group(1))] = (head, stream)
    return objects


def _cmap(stream: bytes) -> tuple[int, dict[int, str]]:
    width = 2 if re.search(rb"begincodespacerange\s*<[0-9A-Fa-f]{4}>", stream) else 1
    table = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(int(dst, 16) + offset)
    return width, table


def pdf_text(data: bytes) -> str:
    objects = _objects(data)
    fonts = {}
    for number, (head, _stream) in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if ref and objects.get(int(ref.group(1)), (b"", None))[1]:
            fonts[number] = _cmap(objects[int(ref.group(1))][1])
    names = {}
    for head, _stream in objects.values():
        for block in re.findall(rb"/Font\s*<<(.*?)>>", head, re.S):
            for name, number in re.findall(rb"/(\w+) (\d+) 0 R", block):
                names[name] = int(number)
    out = []
    for _head, stream in objects.values():
        if not stream or b"BT" not in stream:
            continue
        width, table = 1, {}
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]+)>\s*Tj|\[([^\]]*)\]\s*TJ|\bET\b", stream):
            if token.group(1):
                width, table = fonts.get(names.get(token.group(1)), (1, {}))
            elif token.group(0) == b"ET":
                out.append("\n")
            else:
                for hexes in [token.group(2)] if token.group(2) else re.findall(rb"<([0-9A-Fa-f]+)>", token.group(3)):
                    raw = bytes.fromhex(hexes.decode())
                    out.append("".join(table.get(int.from_bytes(raw[i:i + width], "big"), "")
                                       for i in range(0, len(raw), width)))
    return unicodedata.normalize("NFKC", "".join(out))

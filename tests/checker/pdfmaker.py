"""Test helper: a minimal PDF with a CJK text layer (Type0 font, Identity-H, ToUnicode map)."""


def _hex(text):
    return "".join(f"{ord(ch):04X}" for ch in text)


def make_pdf(lines, table=None):
    """A minimal PDF whose text layer holds `lines` (CJK allowed) via a Type0 font with a ToUnicode map.

    ``table`` (rows of cell strings) is drawn below the lines as a ruled grid, one text run per cell."""
    content = ["BT", "/F1 12 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        content.append(f"<{_hex(line)}> Tj T*")
    content.append("ET")
    if table:
        col_w, row_h, left = 110, 20, 50
        top = 780 - 14 * len(lines) - 20
        n_cols = max(len(r) for r in table)
        for i in range(len(table) + 1):
            y = top - i * row_h
            content.append(f"{left} {y} m {left + n_cols * col_w} {y} l S")
        for j in range(n_cols + 1):
            x = left + j * col_w
            content.append(f"{x} {top} m {x} {top - len(table) * row_h} l S")
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                x, y = left + j * col_w + 4, top - (i + 1) * row_h + 6
                content.append(f"BT /F1 12 Tf 1 0 0 1 {x} {y} Tm <{_hex(cell)}> Tj ET")
    stream = "\n".join(content).encode()
    cmap = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)

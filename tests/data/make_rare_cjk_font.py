"""Writes rare-cjk-test.ttf: a tiny font whose only glyphs are squares for U+20000, U+20BB7
and U+2A6A5 (CJK Extension B), so the rare-font search can be tested without any system font.

Run with fontTools installed: python3 tests/data/make_rare_cjk_font.py
"""

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen


def square():
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.lineTo((900, 0))
    pen.closePath()
    return pen.glyph()


names = [".notdef", "u20000", "u20BB7", "u2A6A5"]
fb = FontBuilder(1000, isTTF=True)
fb.setupGlyphOrder(names)
fb.setupCharacterMap({0x20000: "u20000", 0x20BB7: "u20BB7", 0x2A6A5: "u2A6A5"})
fb.setupGlyf({name: square() for name in names})
fb.setupHorizontalMetrics({name: (1000, 100) for name in names})
fb.setupHorizontalHeader(ascent=880, descent=-120)
fb.setupNameTable({"familyName": "Onsdesk Rare Test", "styleName": "Regular"})
fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
fb.setupPost()
fb.save(str(Path(__file__).with_name("rare-cjk-test.ttf")))

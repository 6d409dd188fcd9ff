"""Draws assets/icon.png (256x256) and assets/icon-32.png for onsdesk.
Rounded blue square with three white 'message' bars flowing into a right arrow (a queue)."""
import sys
from PIL import Image, ImageDraw

S = 4                      # supersampling factor
N = 256 * S
out_dir = sys.argv[1] if len(sys.argv) > 1 else "assets"

def s(v):                  # scale 256-space coords to canvas
    return int(round(v * S))

# background: rounded square with a gentle vertical gradient around #1E6FD9
top, bot = (0x2E, 0x7F, 0xE6), (0x18, 0x5F, 0xC6)
grad = Image.new("RGBA", (N, N))
gd = ImageDraw.Draw(grad)
for y in range(N):
    t = y / (N - 1)
    gd.line([(0, y), (N, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bot)) + (255,))
mask = Image.new("L", (N, N), 0)
ImageDraw.Draw(mask).rounded_rectangle([s(8), s(8), s(248) - 1, s(248) - 1], radius=s(52), fill=255)
img = Image.new("RGBA", (N, N), (0, 0, 0, 0))
img.paste(grad, (0, 0), mask)

d = ImageDraw.Draw(img)
white = (255, 255, 255, 255)
# three stacked message bars (queue), left-aligned, staggered lengths
bar_h, gap = 30, 20
y0 = 128 - (3 * bar_h + 2 * gap) / 2
widths = (100, 124, 100)
arrow_gap, arrow_w, arrow_half_h = 10, 32, 36
x0 = 128 - (widths[1] + arrow_gap + arrow_w) / 2   # centre the whole glyph
for i, w in enumerate(widths):
    y = y0 + i * (bar_h + gap)
    d.rounded_rectangle([s(x0), s(y), s(x0 + w), s(y + bar_h)], radius=s(bar_h / 2), fill=white)
# arrowhead pointing right, aligned with the middle bar: consumer side of the queue
ax = x0 + widths[1] + arrow_gap
d.polygon([(s(ax), s(128 - arrow_half_h)), (s(ax + arrow_w), s(128)), (s(ax), s(128 + arrow_half_h))], fill=white)

big = img.resize((256, 256), Image.LANCZOS)
big.save(f"{out_dir}/icon.png", optimize=True)
img.resize((32, 32), Image.LANCZOS).save(f"{out_dir}/icon-32.png", optimize=True)

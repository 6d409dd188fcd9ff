#!/usr/bin/env bash
# Regenerates every platform icon from assets/icon.png (256x256), committed so that builds and
# packaging need no image tools:
#   assets/icons/hicolor/<N>x<N>/apps/onsdesk.png   Linux (the .deb's hicolor theme sizes)
#   assets/windows/onsdesk.ico                        Windows (embedded in the .exe by build.rs)
#   assets/macos/onsdesk.icns                         macOS (the .app bundle)
#   assets/icons/onsdesk-64.rgba                      the window's own icon: the 64 px PNG's
#                                                     pixels, so no start decodes it
# Needs ImageMagick's convert and icnsutils' png2icns (apt-get install imagemagick icnsutils).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/convert ] || need+=(imagemagick)     # a `convert` elsewhere on PATH may be a stand-in
command -v png2icns >/dev/null || need+=(icnsutils)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
convert=/usr/bin/convert
src=assets/icon.png

# -strip: no timestamps or other metadata, so a rerun writes the same bytes
for n in 16 22 24 32 48 64 128 256; do
  dir=assets/icons/hicolor/${n}x${n}/apps
  mkdir -p "$dir"
  "$convert" "$src" -strip -filter Lanczos -resize "${n}x${n}" "PNG32:$dir/onsdesk.png"
done

# raw 8-bit RGBA, straight alpha, rows top to bottom: what the window hands the display server
"$convert" assets/icons/hicolor/64x64/apps/onsdesk.png -depth 8 rgba:assets/icons/onsdesk-64.rgba

mkdir -p assets/windows assets/macos
"$convert" "$src" -strip -define icon:auto-resize=256,64,48,32,24,16 assets/windows/onsdesk.ico

# png2icns picks each image's slot by its size (16, 32, 48, 128, 256 here; no upscaling)
png2icns assets/macos/onsdesk.icns \
  assets/icons/hicolor/{16x16,32x32,48x48,128x128,256x256}/apps/onsdesk.png >/dev/null
echo "icons written"

"""What a media file is, judged by its bytes, and the responsive variants the build publishes.

The studio calls `identify` on every upload: the type comes from the bytes (never the name or
the browser's claim), raster images must decode, SVGs must survive the sanitiser unchanged in
meaning (no script, handlers, foreign objects), and each type has its own size limit. The build
publishes raster images only as WebP variants at a few widths, re-encoded (so no camera or GPS
metadata ever reaches the site), made once per file hash and width (the build's cache).
"""

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from .svg import UnsafeSvg, sanitise_svg

MB = 1024 * 1024
RASTER = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
          "AVIF": ("image/avif", "avif"), "GIF": ("image/gif", "gif")}  # fmt: skip
LIMITS = {"image/svg+xml": 2 * MB, "application/pdf": 50 * MB}
RASTER_LIMIT = 25 * MB
MAX_UPLOAD = 60 * MB  # one upload request: several files at once, each within its type's limit
MAX_PIXELS = 50_000_000  # a decompression bomb is refused, not decoded
WIDTHS = (480, 960, 1600)  # the variants' widths, none wider than the original
VARIANT_RULES = "1"  # part of each variant's build key: a change here re-encodes them all
VARIANT = re.compile(r"^media/_v/([0-9]+)-([0-9a-f]{8})-([0-9]+)\.webp$")
ORIENTATION, TURNED = 0x0112, (5, 6, 7, 8)  # EXIF orientations that swap width and height
ANIMATED_OR_VECTOR = ("image/gif", "image/svg+xml")  # published as they are, not as variants


class RefusedFile(ValueError):
    """Not a file the library takes; the message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class Identified:
    mime_type: str
    extension: str
    data: bytes  # what to store: SVGs sanitised, everything else as uploaded
    width: int | None = None
    height: int | None = None
    format: str | None = None

    @property
    def metadata(self) -> dict | None:
        if self.width is None:
            return None
        return {"width": self.width, "height": self.height, "format": self.format}


def identify(data: bytes) -> Identified:
    """The file's type and, for images, its size in pixels; RefusedFile otherwise."""
    if not data:
        raise RefusedFile("the file is empty")
    if data.startswith(b"%PDF-"):
        return within_limit("application/pdf", Identified("application/pdf", "pdf", data))
    if looks_like_svg(data):
        within_limit("image/svg+xml", data)  # the upload's size, before the sanitiser slims it
        return svg(data)
    if looks_like_markup(data):
        raise RefusedFile("HTML and other markup documents are not accepted")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:  # before decoding: a small file can unpack to gigabytes
                raise RefusedFile(f"images may have at most {MAX_PIXELS // 1_000_000} megapixels")
            if image.getexif().get(ORIENTATION) in TURNED:
                width, height = height, width  # the size as shown, upright
            image.load()  # decodes: a truncated or broken file is refused now
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise RefusedFile(f"not an image, PDF or SVG the library accepts ({error})") from error
    if image_format not in RASTER:
        raise RefusedFile(
            f"{image_format} images are not accepted; use JPEG, PNG, WebP, AVIF or GIF"
        )
    mime_type, extension = RASTER[image_format]
    if len(data) > RASTER_LIMIT:
        raise RefusedFile(f"images may be at most {RASTER_LIMIT // MB} MB")
    return Identified(mime_type, extension, data, width, height, image_format)


NAMED = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
         "avif": "image/avif", "gif": "image/gif", "svg": "image/svg+xml", "pdf": "application/pdf"}  # fmt: skip


def check_name(name: str, found: Identified) -> None:
    """A name that claims another type than the bytes hold is refused: someone is confused, or
    something is disguised (a PNG named `.pdf` would be offered to readers as a PDF)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = NAMED.get(extension)
    if extension and claimed != found.mime_type:
        raise RefusedFile(
            f"the name ends in .{extension} but the file is {found.format or found.extension.upper()}"
        )


def within_limit(mime_type: str, found):
    """`found` (an Identified, or the raw bytes) when its type's size limit allows it."""
    limit = LIMITS[mime_type]
    if len(found.data if isinstance(found, Identified) else found) > limit:
        raise RefusedFile(
            f"{mime_type.split('/')[1].split('+')[0].upper()} files may be at most {limit // MB} MB"
        )
    return found


def looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()


def looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<script", b"<?xml", b"<head", b"<body", b"<"))


def svg(data: bytes) -> Identified:
    """An SVG whose sanitised drawing is what was uploaded: anything the sanitiser would have to
    remove (script, handlers, foreign objects, outside references) is refused, named."""
    if re.search(rb"<script|\son[a-z]+\s*=|javascript:|<foreignObject", data, re.IGNORECASE):
        raise RefusedFile("SVGs with scripts, event handlers or foreign objects are not accepted")
    try:
        clean = sanitise_svg(data)
    except UnsafeSvg as error:
        raise RefusedFile(str(error)) from error
    width, height = svg_size(clean)
    return Identified("image/svg+xml", "svg", clean, width, height, "SVG")


SVG_SIZE = re.compile(
    rb'<svg[^>]*?\sviewBox="\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)'
)


def svg_size(data: bytes) -> tuple[int | None, int | None]:
    """The drawing's proportions from its viewBox, which is what `<img width height>` needs."""
    found = SVG_SIZE.search(data)
    if not found:
        return None, None
    return round(float(found[1])), round(float(found[2]))


# --- the build's side ---------------------------------------------------------------------------


def variant_widths(width: int) -> tuple[int, ...]:
    """The widths published for an image `width` pixels wide: each standard width below it, and
    its own width (or the largest standard one) at the top."""
    smaller = tuple(w for w in WIDTHS if w < width)
    top = min(width, WIDTHS[-1])
    return smaller if top in smaller else (*smaller, top)


def variant_path(media, width: int) -> str:
    """The public path of one variant: the item's id (so the build knows which item an output
    shows) and a piece of its hash (so a replaced file gets new addresses, past any cache)."""
    return f"/media/_v/{media.id}-{media.file_hash[:8]}-{width}.webp"


def variant_of(target: str) -> tuple[int, str, int] | None:
    """(media id, hash prefix, width) of an output path `media/_v/…`, else None."""
    found = VARIANT.match(target)
    return (int(found[1]), found[2], int(found[3])) if found else None


def has_variants(media) -> bool:
    return (
        media.mime_type not in ANIMATED_OR_VECTOR
        and media.mime_type.startswith("image/")
        and bool(media.width)
    )


def image_attributes(media, alt: str, sizes: str, lazy: bool) -> dict:
    """What an `<img>` of a media item says: always its width and height (no layout shift),
    variants with `srcset`/`sizes` for raster images, lazy loading when below the fold."""
    attributes: dict = {"src": f"/media/{media.file_path}", "alt": alt}
    if has_variants(media):
        widths = variant_widths(media.width)
        attributes["src"] = variant_path(media, widths[-1])
        attributes["srcset"] = ", ".join(f"{variant_path(media, w)} {w}w" for w in widths)
        attributes["sizes"] = sizes
        attributes["width"], attributes["height"] = (
            widths[-1],
            round(media.height * widths[-1] / media.width),
        )
    elif media.width:
        attributes["width"], attributes["height"] = media.width, media.height
    if lazy:
        attributes["loading"] = "lazy"
    attributes["decoding"] = "async"
    return attributes


IMG = re.compile(r"<img\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
BODY_SIZES = "(min-width: 48rem) 46rem, 100vw"  # the body column's width (site.css)


def responsive_body(html_text: str, images: dict[str, dict]) -> str:
    """The body's `<img>` tags of media items with their full attributes (`images`: by `src`,
    from `image_attributes`); an empty Markdown alt takes the item's alt text. The first image
    loads at once (it may be the largest thing in view), the others lazily."""
    seen = 0

    def rewrite(found: re.Match) -> str:
        nonlocal seen
        attributes = dict(ATTRIBUTE.findall(found[1]))
        known = images.get(html.unescape(attributes.get("src", "")))
        if known is None:
            return found[0]
        seen += 1
        merged = {**known, **{k: v for k, v in attributes.items() if k in ("title",)}}
        if attributes.get("alt"):
            merged["alt"] = html.unescape(attributes["alt"])
        if seen == 1:
            merged.pop("loading", None)
        return "<img " + " ".join(f'{k}="{html.escape(str(v))}"' for k, v in merged.items()) + ">"

    return IMG.sub(rewrite, html_text)


MEDIA_IN_MARKDOWN = re.compile(r"/media/([^\s)\"'<>]+)")


def media_in_markdown(source: str) -> list[str]:
    """The media paths a Markdown body points at (images and links alike), each once, in the
    order they appear."""
    return list(dict.fromkeys(MEDIA_IN_MARKDOWN.findall(source)))


def touch_icon(initial: str, color: str, size: int = 180) -> bytes:
    """The text mark as the PNG a phone puts on its home screen (`apple-touch-icon`): the
    site's initial in white on the brand colour, full bleed (the phone rounds the corners)."""
    image = Image.new("RGB", (size, size), color)
    font = ImageFont.load_default(size=round(size * 0.6))
    ImageDraw.Draw(image).text(
        (size / 2, size / 2), initial, fill="#ffffff", font=font, anchor="mm"
    )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def variant_bytes(source: Path, width: int) -> bytes:
    """The image at `width` pixels wide as WebP: upright (EXIF orientation applied), metadata
    dropped, deterministic bytes for the same file and width."""
    with Image.open(source) as image:
        if image.format == "JPEG":  # decode at the smallest DCT scale still at least this wide
            image.draft("RGB", (width, round(image.height * width / image.width)))
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert(
                "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
            )
        if image.width > width:
            image = image.resize(
                (width, round(image.height * width / image.width)), Image.Resampling.LANCZOS
            )
        out = io.BytesIO()
        image.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()

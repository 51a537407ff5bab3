"""Media benchmark: uploading a 5 MB photo through the real studio, and making its variants.

    python bench/media_bench.py [--runs 5]

1. Upload: a JPEG of about 5 MB (4000 × 3000, noisy, so it does not compress away) posted to
   the real studio app (in process, Flask's test client, the demo database), signed in as an
   editor: the bytes read, identified and decoded in full, stored, and the row written. Each run
   uses different bytes, so dedupe never short-cuts it.
2. Variants: the WebP variants the build publishes for it (480, 960 and 1600 pixels wide),
   made from the stored file as the build makes them.
3. For scale, in the same run: Pillow alone decoding the same JPEG (the floor of any upload
   that checks an image is whole).
Target: upload plus variants under 2 s. Prints medians and ratios; these machines are shared
and noisy.
"""

import argparse
import io
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from werkzeug.datastructures import FileStorage, MultiDict  # noqa: E402
from werkzeug.test import encode_multipart  # noqa: E402

from commands import main as cli  # noqa: E402
from database import connect  # noqa: E402
from database.users import create_admin_user  # noqa: E402
from generator.images import variant_bytes, variant_widths  # noqa: E402
from service.config import Config  # noqa: E402
from studio import create_app  # noqa: E402

PASSWORD = "bench-password-" + "x" * 12


def photo(seed: int) -> bytes:
    """A 4000 × 3000 JPEG of about 5 MB: coarse noise, which JPEG cannot squeeze much."""
    rng = random.Random(seed)
    small = Image.frombytes("RGB", (800, 600), rng.randbytes(800 * 600 * 3))
    out = io.BytesIO()
    small.resize((4000, 3000), Image.Resampling.BILINEAR).save(out, "JPEG", quality=92)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="magnetiq-media-bench-"))
    db = folder / "site.db"
    cli(["--db", str(db), "init", "--demo"])
    conn = connect(db)
    create_admin_user(conn, "bench@example.com", PASSWORD, role="editor")
    conn.close()
    app = create_app(Config(database=db, media=folder / "media", secret_key="bench-secret-" + "x" * 20,
                            production=False, testing=True, rate_limit="100000/minute"))  # fmt: skip
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text)[1]
    client.post(
        "/admin/login",
        data={"email": "bench@example.com", "password": PASSWORD, "csrf_token": token},
    )
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/media").text)[1]

    uploads, variants, decodes = [], [], []
    for run in range(runs):
        data = photo(run)
        started = time.perf_counter()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        decodes.append(time.perf_counter() - started)
        values = MultiDict({"csrf_token": token, "folder": "/", "tags": ""})
        values.add("files", FileStorage(io.BytesIO(data), filename=f"photo-{run}.jpg"))
        boundary, body = encode_multipart(values)
        started = time.perf_counter()
        answer = client.post(
            "/admin/media/upload",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        uploads.append(time.perf_counter() - started)
        assert answer.status_code == 200 and "added" in answer.text, answer.text[-500:]
        stored = next((folder / "media" / "uploads").rglob(f"photo-{run}-*.jpg"))
        started = time.perf_counter()
        for width in variant_widths(4000):
            variant_bytes(stored, width)
        variants.append(time.perf_counter() - started)
    size = len(photo(0)) / 1024 / 1024
    upload, variant, decode = (statistics.median(v) for v in (uploads, variants, decodes))
    print(f"photo: {size:.1f} MB JPEG, 4000 x 3000; medians of {runs} runs")
    print(f"upload through the studio:         {upload * 1000:7.0f} ms")
    print(f"variants (480, 960, 1600 px WebP): {variant * 1000:7.0f} ms")
    print(
        f"upload + variants:                 {(upload + variant) * 1000:7.0f} ms   (target < 2000 ms)"
    )
    print(
        f"Pillow decoding the JPEG alone:    {decode * 1000:7.0f} ms   (upload is {upload / decode:.1f}x that)"
    )


if __name__ == "__main__":
    main()

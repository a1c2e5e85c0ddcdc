"""Build the whole handbook: online site, offline zip inside it.

    python tools/build_site.py [--site-dir site]

Everything is built in build/stage first. The site folder is replaced only when
every step succeeded, so a failed build never leaves a half-built or empty site.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.loading import DataError, load_handbook  # noqa: E402

from macros import OFFLINE_ZIP  # noqa: E402


def run_mkdocs(config: str, site_dir: Path) -> bool:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "-f", str(ROOT / config), "-d", str(site_dir)]
    # Not -q: it would hide warnings from --strict. Keep what an editor needs, drop INFO chatter.
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    for line in (done.stdout + done.stderr).splitlines():
        if not line.startswith("INFO"):
            print(line, file=sys.stderr)
    return done.returncode == 0


def zip_folder(folder: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path("ipm-handbook") / path.relative_to(folder))


def build(site_dir: Path) -> int:
    try:
        load_handbook(ROOT)
    except DataError as error:
        print(error, file=sys.stderr)
        print(f"\nBuild stopped; {site_dir} was left as it was.", file=sys.stderr)
        return 1

    stage = ROOT / "build" / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    online, offline = stage / "site", stage / "offline"
    for config, target in (("mkdocs.yml", online), ("mkdocs.offline.yml", offline)):
        if not run_mkdocs(config, target):
            print(f"\nBuild of {config} failed (see above); {site_dir} was left as it was.", file=sys.stderr)
            return 1
    zip_folder(offline, online / OFFLINE_ZIP)

    # Swap the finished site into place.
    old = stage / "previous-site"
    if site_dir.exists():
        site_dir.rename(old)
    shutil.move(str(online), str(site_dir))
    shutil.rmtree(old, ignore_errors=True)
    size = (site_dir / OFFLINE_ZIP).stat().st_size / 1_000_000
    print(f"Built {site_dir} (offline download {size:.1f} MB at {site_dir / OFFLINE_ZIP}).")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    return build(args.site_dir.resolve())


if __name__ == "__main__":
    sys.exit(main())

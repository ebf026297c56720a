"""A PEP 517 build backend for barrage-probes that needs only the standard library.

It builds a pure-Python wheel of the `barrage` package and an sdist of this folder, so `pip install ./python`
works offline, in a fresh virtual environment, without setuptools or wheel.
"""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "barrage-probes"
VERSION = "0.1.0"
SUMMARY = "barrage.probes for the Chaos Toolkit: vegeta's JSON report of attack result files, by the barrage binary"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = NAME.replace("-", "_") + "-" + VERSION
TAG = "py3-none-any"


def _metadata() -> str:
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (
        "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\nLicense: Apache-2.0\nRequires-Python: >=3.8\n"
        "Description-Content-Type: text/markdown\n\n%s" % (NAME, VERSION, SUMMARY, readme)
    )


def _sources():
    root = os.path.join(HERE, "barrage")
    for name in sorted(os.listdir(root)):
        if name.endswith(".py"):
            yield "barrage/" + name, os.path.join(root, name)


def _wheel_files():
    files = []
    for arcname, path in _sources():
        with open(path, "rb") as f:
            files.append((arcname, f.read()))
    info = DIST + ".dist-info/"
    files.append((info + "METADATA", _metadata().encode()))
    files.append((info + "WHEEL", ("Wheel-Version: 1.0\nGenerator: barrage-probes backend\n"
                                   "Root-Is-Purelib: true\nTag: %s\n" % TAG).encode()))
    files.append((info + "top_level.txt", b"barrage\n"))
    return files


def _record(files) -> bytes:
    lines = []
    for arcname, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append("%s,sha256=%s,%d" % (arcname, digest, len(data)))
    lines.append(DIST + ".dist-info/RECORD,,")
    return ("\n".join(lines) + "\n").encode()


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = os.path.join(metadata_directory, DIST + ".dist-info")
    os.makedirs(info, exist_ok=True)
    for arcname, data in _wheel_files():
        if arcname.startswith(DIST + ".dist-info/"):
            with open(os.path.join(metadata_directory, arcname), "wb") as f:
                f.write(data)
    return DIST + ".dist-info"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "%s-%s.whl" % (DIST, TAG)
    files = _wheel_files()
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as whl:
        for arcname, data in files:
            whl.writestr(arcname, data)
        whl.writestr(DIST + ".dist-info/RECORD", _record(files))
    return name


def build_sdist(sdist_directory, config_settings=None):
    name = DIST + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        for rel in ["pyproject.toml", "README.md", "_build/backend.py"] + [a for a, _ in _sources()]:
            tar.add(os.path.join(HERE, rel), arcname=DIST + "/" + rel)
        pkg = _metadata().encode()
        entry = tarfile.TarInfo(DIST + "/PKG-INFO")
        entry.size = len(pkg)
        tar.addfile(entry, io.BytesIO(pkg))
    return name

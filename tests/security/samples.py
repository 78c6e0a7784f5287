"""Builders for the files the security corpus uploads: honest ones and hostile ones."""

import io
import stat
import struct
import zipfile
import zlib

from PIL import Image

from tests.conftest import image_bytes

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400


def hwp_bytes():
    """An HWP 5 document starts as an OLE compound file."""
    return CFB_SIGNATURE + b"\x00" * 504


def zip_bytes(entries, *, first_stored=None):
    """A ZIP of (name, data) pairs; a ZipInfo may stand in for the name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(zipfile.ZipInfo(first_stored[0]), first_stored[1], compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def symlink_entry(name):
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so the mode bits count
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def hwpx_bytes(*extra):
    return zip_bytes(
        [("Contents/section0.xml", b"<hs:sec/>"), *extra], first_stored=("mimetype", b"application/hwp+zip")
    )


_OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def ooxml_bytes(kind, *extra):
    return zip_bytes([("[Content_Types].xml", b"<Types/>"), (_OOXML_PARTS[kind], b"<doc/>"), *extra])


def gif_polyglot():
    """A real GIF with a script after its trailer: harmless only once re-encoded."""
    return image_bytes("GIF") + b"<script>alert(1)</script>"


def jpeg_with_trailer():
    return image_bytes("JPEG") + b"<script>alert(1)</script>"


def truncated(data):
    return data[: len(data) // 2]


def noisy_jpeg(size=(64, 48)):
    """A JPEG that does not compress to nothing, so truncation loses real data."""
    image = Image.effect_noise(size, 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header claims a huge canvas: a decompression bomb's calling card."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def animated_gif(size=(20, 20), frames=5):
    images = [Image.new("RGB", size, (i * 50 % 256, 80, 255 - i * 50 % 256)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()


def jpeg_with_exif(*, orientation=None, gps=True, size=(40, 20)):
    image = Image.new("RGB", size, (200, 30, 30))
    # A marker so orientation can be checked: the left half is blue.
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (35.0, 9.0, 0.0), 3: "E", 4: (126.0, 51.0, 0.0)}  # GPSInfo: Gwangju City Hall
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()

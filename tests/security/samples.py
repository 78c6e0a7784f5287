"""Builders for the files the security corpus uploads: honest ones and hostile ones."""

import io
import stat
import struct
import zipfile
import zlib

from PIL import Image

from tests.helpers import image_bytes

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400


def cfb_bytes(tree):
    """An OLE compound file (CFB version 3) holding `tree`: {name: bytes for a stream, or a dict for a storage}.

    olefile, which the upload check uses, only reads these files, and no library installed here
    writes them, so this lays one out as [MS-CFB] describes: 512-byte sectors (one FAT sector, the
    directory, one mini FAT sector, then the mini stream), every stream under 4 KB in the mini stream.
    """
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    entries = [{"name": "Root Entry", "type": 5, "right": no_stream, "child": no_stream}]
    mini_stream, mini_fat = bytearray(), []

    def add(parent, children):
        previous = None
        for name, content in children.items():
            index = len(entries)
            entry = {"name": name, "right": no_stream, "child": no_stream, "start": 0, "size": 0}
            entries.append(entry)
            if previous is None:
                entries[parent]["child"] = index
            else:
                entries[previous]["right"] = index  # siblings as a chain: a valid, if unbalanced, tree
            previous = index
            if isinstance(content, dict):
                entry["type"] = 1
                add(index, content)
            else:
                assert 0 < len(content) < 4096, "streams of 4 KB or more belong in normal sectors"
                first, count = len(mini_stream) // 64, -(-len(content) // 64)
                entry.update(type=2, start=first, size=len(content))
                mini_fat.extend([*range(first + 1, first + count), end])
                mini_stream.extend(content.ljust(count * 64, b"\0"))

    add(0, tree)
    directory_sectors = -(-len(entries) // 4)
    mini_fat_at = 1 + directory_sectors
    mini_stream_at = mini_fat_at + 1
    mini_stream_sectors = -(-len(mini_stream) // 512)
    assert len(mini_fat) <= 128 and mini_stream_at + mini_stream_sectors <= 128
    entries[0].update(start=mini_stream_at, size=len(mini_stream))

    def chain(first, count):
        return [*range(first + 1, first + count), end]

    fat = [fat_sector, *chain(1, directory_sectors), end, *chain(mini_stream_at, mini_stream_sectors)]
    directory = b"".join(
        struct.pack(
            "<64sHBBIII16sIQQIQ",
            (entry["name"] + "\0").encode("utf-16-le"),
            len((entry["name"] + "\0").encode("utf-16-le")),
            entry["type"],
            1,  # black
            no_stream,
            entry["right"],
            entry["child"],
            b"",
            0,
            0,
            0,
            entry["start"],
            entry["size"],
        )
        for entry in entries
    )
    unused_entry = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, no_stream, no_stream, no_stream, b"", 0, 0, 0, 0, 0)
    directory += unused_entry * (directory_sectors * 4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        CFB_SIGNATURE,
        b"",
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector size 2**9
        6,  # mini sector size 2**6
        b"",
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,  # mini stream cutoff
        mini_fat_at,
        1,  # mini FAT sectors
        end,  # no DIFAT sectors
        0,
    ) + struct.pack("<109I", 0, *[free] * 108)
    sectors = [
        struct.pack("<128I", *fat, *[free] * (128 - len(fat))),
        directory,
        struct.pack("<128I", *mini_fat, *[free] * (128 - len(mini_fat))),
        bytes(mini_stream).ljust(mini_stream_sectors * 512, b"\0"),
    ]
    return header + b"".join(sectors)


HWP_SIGNATURE = b"HWP Document File"


def hwp_bytes(signature=HWP_SIGNATURE):
    """An HWP 5 document: an OLE file whose FileHeader stream starts with the HWP signature."""
    file_header = signature.ljust(32, b"\0") + struct.pack("<II", 0x05000300, 0)
    return cfb_bytes(
        {
            "FileHeader": file_header.ljust(256, b"\0"),
            "DocInfo": b"\x00" * 100,
            "BodyText": {"Section0": b"\x00" * 100},
        }
    )


def doc_bytes():
    return cfb_bytes({"WordDocument": b"\xec\xa5" + b"\x00" * 200, "1Table": b"\x00" * 100})


def xls_bytes(stream="Workbook"):
    return cfb_bytes({stream: b"\x09\x08" + b"\x00" * 200})


def ppt_bytes():
    return cfb_bytes({"PowerPoint Document": b"\x00" * 200, "Current User": b"\x00" * 60})


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

"""Inputs of benchmarks/decode-memory.sh, written to the folder given as the only argument: three flat 7000x7000 RGB PNGs
of about 160 KB (zlib's ~1000:1 limit, like the 143 KB reproduction of issue 9) and photo.ppm, 7000x7000 noisy bands
that the script encodes as a baseline and a progressive JPEG with cjpeg."""
import os, random, struct, sys, zlib

W = H = 7000
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
top = b"\0" + bytes((0, 200, 0)) * W  # filter byte 0, then the row: top quarter green
bottom = b"\0" + bytes((220, 0, 0)) * (W // 2) + bytes((0, 0, 210)) * (W - W // 2)  # left red, right blue


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


z = zlib.compressobj(9)
idat = b"".join(z.compress(top if y < H // 4 else bottom) for y in range(H)) + z.flush()
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
for i in (1, 2, 3):
    with open(os.path.join(out, f"flat-{i}.png"), "wb") as f:
        f.write(png)

random.seed(7)
noise = bytes(random.getrandbits(8) >> 2 for _ in range(W * 3))
with open(os.path.join(out, "photo.ppm"), "wb") as f:
    f.write(b"P6 %d %d 255\n" % (W, H))
    for y in range(H):
        base = (top if y < H // 4 else bottom)[1:]
        shift = (y * 37) % (W * 3)
        n = noise[shift:] + noise[:shift]
        f.write(bytes((base[i] >> 1) + n[i] for i in range(W * 3)))

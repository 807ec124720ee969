"""Small real PNG pictures for the posts of the browser story, drawn with Pillow."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def garden_png(folder: Path) -> Path:
    """A small drawn picture of raised beds under a sun (a real PNG, made by Pillow)."""
    image = Image.new("RGB", (480, 300), "#bfe3f5")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 190, 480, 300), fill="#6aa84f")
    draw.ellipse((380, 30, 450, 100), fill="#ffd966")
    for left in (40, 180, 320):
        draw.rectangle((left, 170, left + 120, 230), fill="#7f6000", outline="#4a3800", width=4)
        for x in range(left + 15, left + 120, 25):
            draw.ellipse((x - 9, 150, x + 9, 172), fill="#38761d")
    path = folder / "hochbeete.png"
    image.save(path)
    return path


def sign_png(folder: Path) -> Path:
    """A painted sign saying "Nordstadt online" on a post."""
    image = Image.new("RGB", (400, 240), "#f3f6f4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 360, 160), fill="#1d6b4f", outline="#0b3d2c", width=6)
    draw.rectangle((190, 160, 210, 240), fill="#7f6000")
    font = ImageFont.load_default(size=36)
    draw.text((200, 100), "Nordstadt online", fill="#ffffff", font=font, anchor="mm")
    path = folder / "schild.png"
    image.save(path)
    return path


def repair_cafe_png(folder: Path) -> Path:
    """A workbench with a toaster, a lamp and a screwdriver (the Repair-Café's picture)."""
    image = Image.new("RGB", (640, 360), "#f6efe3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 640, 360), fill="#8b5a2b")  # the bench
    draw.rectangle((0, 240, 640, 256), fill="#a0522d")
    draw.rounded_rectangle(
        (70, 140, 250, 240), radius=18, fill="#b7c4cc", outline="#4d5b63", width=5
    )
    draw.rectangle((100, 128, 130, 142), fill="#4d5b63")  # toaster slots
    draw.rectangle((180, 128, 210, 142), fill="#4d5b63")
    draw.polygon(((360, 240), (440, 240), (410, 120), (390, 120)), fill="#3c6e91")  # lamp foot
    draw.ellipse((330, 60, 470, 150), fill="#f1c232", outline="#7f6000", width=4)  # lamp shade
    draw.rectangle((500, 225, 600, 237), fill="#cc0000")  # screwdriver handle
    draw.rectangle((600, 229, 635, 233), fill="#999999")
    path = folder / "repair-cafe.png"
    image.save(path)
    return path

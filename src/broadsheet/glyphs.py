"""Text drawn from glyphs rendered once, for images that repeat the same font and sizes.

Pillow renders every glyph of a string through FreeType each time it draws it: a share card's
title is 60 glyphs at 84 pixels, and rendering them was a third of the cost of a card. Here
each character is rendered once per font and size, and a line of text is the characters'
glyphs pasted at the positions Pillow would use (hinted advances, which are whole pixels, plus
the font's kerning). Measured against Pillow drawing the same lines, the pixels are the same
except where two glyphs overlap (kerned "Te"), which blends them instead of taking the darker.

Not for use by two threads at once: FreeType faces are not thread-safe (keep one per thread).
"""

from __future__ import annotations


class Glyphs:
    """One font at one size. `getlength` measures like Pillow's font, so code that measures
    text takes either."""

    def __init__(self, font) -> None:
        self.font = font
        self.size = font.size
        self._glyphs: dict[str, tuple[object, int, int, float, int, int]] = {}
        self._advances: dict[str, float] = {}
        self._kerning: dict[tuple[str, str], float] = {}

    def getlength(self, text: str) -> float:
        # Summed without a Python loop: fitting a title measures a dozen candidate lines.
        # Advances and kerning are 1/64ths of a pixel, so the sum is exact in any order.
        try:
            advances = sum(map(self._advances.__getitem__, text), 0.0)
            kerning = sum(map(self._kerning.__getitem__, zip(text, text[1:])))
        except KeyError:  # a character or pair not met yet
            return self._placed(text)[1]
        return advances + kerning

    def rows(self, text: str) -> tuple[int, int]:
        """The rows the text's glyphs cover, from the y it is drawn at: (first, after last);
        (0, 0) for text that draws nothing."""
        extents = [(top, bottom) for mask, _, top, _, _, bottom in map(self._glyph, text)
                   if mask is not None]
        if not extents:
            return 0, 0
        return min(top for top, _ in extents), max(bottom for _, bottom in extents)

    def draw(self, canvas, xy: tuple[int, int], text: str, fill: int) -> None:
        """Draw `text` on `canvas` (an "L" image of its own, as Image.new makes: not a view
        of a buffer) with its top-left at `xy`, as
        ImageDraw.text(xy, text, font=…, fill=fill) would."""
        x, y = xy
        # Pillow's core paste, without Image.paste's checks around it (they were a third of
        # drawing a card); the same call Image.paste makes, on an image it owns.
        canvas.load()
        core = canvas.im
        for (mask, left, top, _, right, bottom), pen in self._placed(text)[0]:
            if mask is not None:
                at = x + round(pen)
                core.paste(fill, (at + left, y + top, at + right, y + bottom), mask)

    def _placed(self, text: str) -> tuple[list, float]:
        """Each character's glyph with the pen's position before it (advances and kerning,
        from 0), and the pen's position after the last."""
        placed = []
        pen = 0.0
        previous = None
        for character in text:
            if previous is not None:
                pen += self._kern(previous, character)
            glyph = self._glyph(character)
            placed.append((glyph, pen))
            pen += glyph[3]
            previous = character
        return placed, pen

    def _glyph(self, character: str) -> tuple[object, int, int, float, int, int]:
        """The character's coverage mask (None if it draws nothing), its box from the pen
        (left, top, …, right, bottom) and its advance."""
        glyph = self._glyphs.get(character)
        if glyph is None:
            from PIL import Image, ImageDraw

            left, top, right, bottom = self.font.getbbox(character)
            mask = None
            if right > left and bottom > top:
                image = Image.new("L", (right - left, bottom - top), 0)
                ImageDraw.Draw(image).text((-left, -top), character, font=self.font, fill=255)
                image.load()
                mask = image.im  # what draw() pastes through: Pillow's core image
            advance = self._advances[character] = self.font.getlength(character)
            glyph = self._glyphs[character] = (mask, left, top, advance, right, bottom)
        return glyph

    def _kern(self, first: str, second: str) -> float:
        kerning = self._kerning.get((first, second))
        if kerning is None:
            kerning = self._kerning[first, second] = (
                self.font.getlength(first + second)
                - self._glyph(first)[3] - self._glyph(second)[3])
        return kerning

// A 5x7 bitmap font for the simulated screen's one picture: only the characters its text and instance ids use (the
// lower case, the digits, a little punctuation and the capitals of "OpenCVM"); anything else draws as a box.
// Each glyph is seven rows, two hex digits each, the 0x10 bit the leftmost column.
const GLYPHS: Record<string, string> = {
  " ": "00000000000000",
  a: "00000e010f110f", b: "1010161911111e", c: "00000e1010110e", d: "01010d1311110f",
  e: "00000e111f100e", f: "0609081c080808", g: "000f11110f010e", h: "10101619111111",
  i: "04000c0404040e", j: "0200060202120c", k: "10101214181412", l: "0c04040404040e",
  m: "00001a15151111", n: "00001619111111", o: "00000e1111110e", p: "00001e111e1010",
  q: "00000d130f0101", r: "00001619101010", s: "00000e100e011e", t: "08081c08080906",
  u: "0000111111130d", v: "00001111110a04", w: "0000111115150a", x: "0000110a040a11",
  y: "000011110f010e", z: "00001f0204081f",
  "0": "0e11131519110e", "1": "040c040404040e", "2": "0e11010204081f", "3": "1f02040201110e",
  "4": "02060a121f0202", "5": "1f101e0101110e", "6": "0608101e11110e", "7": "1f010204080808",
  "8": "0e11110e11110e", "9": "0e11110f01020c",
  "-": "0000001f000000", "(": "02040808080402", ")": "08040202020408", ":": "000c0c000c0c00", ".": "00000000000c0c",
  C: "0e11101010110e", M: "111b1515111111", O: "0e11111111110e", V: "11111111110a04",
};
const BOX = "1f111111111f00";

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

/**
 * Sets to `ink` the pixels of `text` in a `width`-wide picture of one byte per pixel, from (x, y), each font pixel
 * drawn as scale x scale, one scaled column between characters. Whatever falls outside the picture is dropped.
 */
export function drawText(picture: Uint8Array, width: number, x: number, y: number, text: string, scale: number, ink: number): void {
  const height = picture.length / width;
  [...text].forEach((ch, i) => {
    const rows = GLYPHS[ch] ?? BOX;
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const bits = parseInt(rows.slice(row * 2, row * 2 + 2), 16);
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!(bits & (0x10 >> col))) continue;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const px = x + (i * (GLYPH_WIDTH + 1) + col) * scale + dx;
            const py = y + row * scale + dy;
            if (px < width && py < height) picture[py * width + px] = ink;
          }
      }
    }
  });
}

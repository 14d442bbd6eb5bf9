/**
 * Still images from disk as pixels, decoded by @napi-rs/canvas (Skia): JPEG (baseline,
 * progressive, greyscale, CMYK), PNG (greyscale, palette, 16-bit, alpha), WebP, GIF (first frame),
 * BMP and AVIF. Skia turns a JPEG upright as its EXIF orientation says, so a phone's portrait
 * photo comes out as it is shown. The size is read from the header first and an image over
 * MAX_IMAGE_PIXELS is refused before any decoding; a file cut short is refused too, rather than
 * decoded into a half-grey picture.
 */
import { readFile } from 'node:fs/promises';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Pixels } from './image.js';
import { bufferSource, imageHeader, ImageError, readImageHeader, type ImageHeader } from './image-header.js';
import { imageDamage } from './image-integrity.js';

/**
 * The largest image decoded, in pixels: 64 megapixels (8000x8000, or a 48-megapixel phone photo
 * with room to spare). Decoding costs about 12 bytes a pixel at its peak (Skia's copy, the canvas
 * and the pixels read back), so this caps one image near 800 MB.
 */
export const MAX_IMAGE_PIXELS = 64_000_000;

/** An image refused for its size alone. */
export class ImageTooLargeError extends ImageError {}

/** The header of an image file, refused (naming the file and its size) when it is over the limit. */
export function checkImageFile(file: string): ImageHeader {
    return withinLimit(readImageHeader(file), file);
}

/** An image file as RGBA pixels, upright, with any transparency laid over white. */
export async function readImage(file: string): Promise<Pixels> {
    let data: Buffer;
    try {
        data = await readFile(file);
    } catch (error) {
        throw new ImageError(file, `cannot be read: ${(error as Error).message}`);
    }
    const header = withinLimit(imageHeader(bufferSource(data), file), file);
    const damage = imageDamage(data, header.format);
    if (damage) throw new ImageError(file, `cannot be decoded as an image: ${damage}`);
    let image: Awaited<ReturnType<typeof loadImage>>;
    try {
        image = await loadImage(data);
    } catch (error) {
        throw new ImageError(file, `cannot be decoded as an image: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (image.width === 0 || image.height === 0) throw new ImageError(file, 'cannot be decoded as an image: it decodes to no pixels');
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    // White behind transparent parts, as a viewer shows them; the detector sees no alpha.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, image.width, image.height);
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height);
    return { data: pixels.data, width: image.width, height: image.height, channels: 4 };
}

function withinLimit(header: ImageHeader, file: string): ImageHeader {
    const pixels = header.width * header.height;
    if (pixels > MAX_IMAGE_PIXELS) {
        const megapixels = (pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0);
        throw new ImageTooLargeError(
            file,
            `is ${header.width}x${header.height} pixels (${megapixels} megapixels), over the limit of ${MAX_IMAGE_PIXELS / 1e6} megapixels ` +
                'an image may have; scale it down first (e.g. convert FILE -resize 25% SMALLER.jpg)'
        );
    }
    return header;
}

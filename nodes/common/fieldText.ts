/**
 * The first `length` characters of `text`, counted in code points as X3 counts the length of a Char field.
 * A cut in UTF-16 units (String.prototype.slice) can split an emoji or any other character outside the BMP
 * and leave half of it (a lone surrogate), which X3 then stores as a broken character.
 */
export function cutToLength(text: string, length: number): string {
	if (text.length <= length) return text;
	return Array.from(text).slice(0, Math.max(0, length)).join('');
}

/**
 * The forms a secret's value takes once a tool or a program has transformed it: what
 * the redactor masks besides the value as written. A masked value that leaks back
 * base64-encoded (`file.read encoding: base64`, `base64` in a shell, a server echoing a
 * header), URL-encoded, JSON-escaped, hex-dumped or reversed (`json.query reverse(@)`)
 * is the same secret.
 *
 * Base64 depends on where the value starts in the encoded bytes: each of the three
 * alignments gives a different text, of which only the characters made of the value's
 * own bits alone are stable. Those cores are the forms; a core leaves at most a
 * character (4 bits of the value) on either side unmasked.
 */

/** Secrets shorter than this are masked only as written: their derived forms are too short to tell apart from ordinary text. */
export const MIN_DERIVED_LENGTH = 4;

/** Derived forms shorter than this are not masked (a 2-character core would mask noise). */
const MIN_FORM_LENGTH = 4;

/** The value and every derived form worth masking, distinct, longest first. */
export function secretForms(value: string): string[] {
    const forms = new Set<string>([value]);
    if (value.length >= MIN_DERIVED_LENGTH) {
        const bytes = Buffer.from(value, 'utf8');
        for (const form of [
            ...base64Cores(bytes, 'base64'),
            ...base64Cores(bytes, 'base64url'),
            bytes.toString('hex'),
            bytes.toString('hex').toUpperCase(),
            ...urlEncoded(value),
            JSON.stringify(value).slice(1, -1),
            asciiJson(value),
            [...value].reverse().join(''),
            value.split('').reverse().join(''),
        ]) {
            if (form.length >= MIN_FORM_LENGTH) {
                forms.add(form);
            }
        }
    }
    return [...forms].sort((a, b) => b.length - a.length);
}

/** The stable part of the value's base64 at each of the three byte alignments. */
function base64Cores(bytes: Buffer, encoding: 'base64' | 'base64url'): string[] {
    const out: string[] = [];
    for (let k = 0; k < 3; k++) {
        const text = Buffer.concat([Buffer.alloc(k), bytes]).toString(encoding);
        // Characters fully made of the value's bits: after the k filler bytes' last
        // shared character, before the character the value shares with what follows.
        const start = Math.ceil((8 * k) / 6);
        const end = Math.floor((8 * (k + bytes.length)) / 6);
        out.push(text.slice(start, end));
    }
    return out;
}

/** `encodeURIComponent`, its lowercase-hex spelling, and form encoding (`+` for spaces). */
function urlEncoded(value: string): string[] {
    let encoded: string;
    try {
        encoded = encodeURIComponent(value);
    } catch {
        return []; // a lone surrogate has no URL form
    }
    if (encoded === value) {
        return [];
    }
    const lower = encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    const form = encoded.replace(/%20/g, '+');
    return [encoded, lower, form];
}

/** JSON-escaped with every non-ASCII character as `\uXXXX` (Python's `json.dumps` default). */
function asciiJson(value: string): string {
    return JSON.stringify(value).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

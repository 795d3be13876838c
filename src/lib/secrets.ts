/**
 * Secrets kept at rest (the conversion APIs' tokens): AES-256-GCM with WebCrypto, under a key
 * derived with HKDF-SHA-256 from SECRETS_KEY, so any long random string (what `npm start`
 * writes) is a valid key. Sealed text: "v1.<iv>.<ciphertext+tag>", both base64url; a fresh
 * 96-bit IV per seal. A wrong key or a changed byte fails the tag check: open() throws.
 */
const VERSION = "v1";
const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function aesKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", enc.encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: enc.encode("clicktrail"), info: enc.encode("secrets at rest v1") },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const unb64 = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** `purpose` is bound to the ciphertext (GCM's additional data): a blob sealed for one use opens for no other. */
export async function seal(secret: string, purpose: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: enc.encode(purpose) },
    await aesKey(secret),
    enc.encode(plain),
  );
  return `${VERSION}.${b64(iv)}.${b64(new Uint8Array(sealed))}`;
}

export async function open(secret: string, purpose: string, sealed: string): Promise<string> {
  const [version, iv, body] = sealed.split(".");
  if (version !== VERSION || !iv || !body) throw new Error("not a sealed secret");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: unb64(iv), additionalData: enc.encode(purpose) },
    await aesKey(secret),
    unb64(body),
  );
  return new TextDecoder().decode(plain);
}

/**
 * CRC-32 (IEEE 802.3, the polynomial of zip, PNG and gzip: reflected 0xEDB88320, initial and final
 * value 0xFFFFFFFF) of bytes, the checksum a model file stores beside each tensor's data. It
 * detects every error burst of up to 32 bits, so any single changed base64 character (which
 * changes at most 6 bits of 2 neighbouring bytes) is caught. Pure and browser-usable.
 *
 * Law (checked in src/io/bytes.test.ts): `crc32(ascii('123456789'))` is 0xCBF43926, the check
 * value of the standard.
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256 * 4)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  // slicing by four: table[256 * k + n] is the CRC of byte n followed by k zero bytes
  for (let n = 0; n < 256; n++) {
    let c = table[n]!
    for (let k = 1; k < 4; k++) {
      c = table[c & 255]! ^ (c >>> 8)
      table[256 * k + n] = c >>> 0
    }
  }
  return table
})()

/** The CRC-32 of bytes, an unsigned 32-bit integer. @category codecs */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  const n = bytes.length
  let i = 0
  for (; i + 4 <= n; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)
    c = TABLE[768 + (c & 255)]! ^ TABLE[512 + ((c >>> 8) & 255)]! ^ TABLE[256 + ((c >>> 16) & 255)]! ^ TABLE[c >>> 24]!
  }
  for (; i < n; i++) c = TABLE[(c ^ bytes[i]!) & 255]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A CRC-32 as the eight lowercase hexadecimal digits a model file stores. @category codecs */
export const crc32Hex = (bytes: Uint8Array): string => crc32(bytes).toString(16).padStart(8, '0')

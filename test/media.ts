/** Minimal media files for upload tests: each is the smallest byte string the files module accepts as its type. */

/** A PNG signature and IHDR start: enough for the content-type check. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** A minimal MP4: an `ftyp` box (isom) and an empty `mdat`. */
export const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 24]),
  Buffer.from('ftypisom', 'latin1'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isommp41', 'latin1'),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from('mdat', 'latin1'),
]);

export { isValidDigest } from './digest.js';
export { formatReference, type ReferenceParts } from './format-reference.js';
export type { ImageReference } from './image-reference.js';
export { isValidReference, parseReference } from './parse-reference.js';
export { parseRepositoryTag } from './parse-repository-tag.js';
export { isValidTag } from './tag.js';

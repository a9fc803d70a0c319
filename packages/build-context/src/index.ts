// @berth/build-context: streams a Docker build context as tar, with the Docker CLI's
// .dockerignore semantics, Dockerfiles outside the context, and symbolic links kept as links.

export type { BuildContext } from './build-context.js';
export { packDirectory, type PackDirectoryOptions } from './pack-directory.js';
export { packDockerfile, type PackDockerfileOptions } from './pack-dockerfile.js';
export { readDockerfileContent, type DockerfileContent } from './read-dockerfile-content.js';
export { parseDockerignore } from './dockerignore/parse-dockerignore.js';
export { PatternMatcher, type ParentMatchResult, type ParentMatchState } from './dockerignore/pattern-matcher.js';
export { Pattern } from './dockerignore/pattern.js';
export { cleanGoPath } from './dockerignore/go-text.js';

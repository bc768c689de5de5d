/**
 * KBX505: A -t/--tag that is not a valid image reference.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX505',
    name: 'build-tag-invalid',
    summary: 'A -t/--tag that is not a valid image reference',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['tag-invalid'],
    docs: {
      what: 'Parses each `-t/--tag` as a Docker image reference (`[registry/]repository[:tag][@digest]`) and reports upper-case repository names, spaces, empty tags and other invalid references.',
      why: 'buildx rejects the tag (`invalid tag …: repository name must be lowercase`) after the build has run, so the work is lost.',
      example: 'docker buildx build -t registry.example.com/MyApp:1.0 .',
      useInstead: 'docker buildx build -t registry.example.com/myapp:1.0 .',
      fixSafety: 'No fix is offered: lower-casing changes the repository name.',
      buildxSays: 'invalid tag "registry.example.com/MyApp:1.0": repository name must be lowercase',
    },
  },
});

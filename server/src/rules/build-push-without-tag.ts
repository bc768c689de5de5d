/**
 * KBX521: --push (or push=true) without any image name.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX521',
    name: 'build-push-without-tag',
    summary: '--push (or push=true) without any image name',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['push-without-tag'],
    docs: {
      what: 'Reports `--push`, `-o type=registry` or `push=true` on a build that has no `-t/--tag` and no `name=` on an image output.',
      why: 'buildx fails after building: there is nothing to push to.',
      example: 'docker buildx build --platform linux/amd64,linux/arm64 --push .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 --push -t registry.example.com/app:1.0 .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'tag is needed when pushing to registry',
    },
  },
});

/**
 * KBX521: --push (or push=true) without any image name. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX521.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX521',
  name: 'build-push-without-tag',
  summary: '--push (or push=true) without any image name',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Reports `--push`, `-o type=registry` or `push=true` on a build that has no `-t/--tag` and no `name=` on an image output.',
    why: 'buildx fails after building: there is nothing to push to.',
    example: 'docker buildx build --platform linux/amd64,linux/arm64 --push .',
    useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 --push -t registry.example.com/app:1.0 .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'tag is needed when pushing to registry',
  },
});

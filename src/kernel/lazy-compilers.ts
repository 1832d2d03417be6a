/**
 * Route schemas compiled on first use instead of at start (issue 19 item 3: restart to healthy ≤ 3 s).
 *
 * Fastify compiles every route's validators (Ajv) and response serialisers (fast-json-stringify) while the app gets
 * ready: with some 500 routes that was 2.9 s of a 6.5 s restart on this machine. These factories wrap Fastify's own
 * (the same packages and options, so validation and serialisation are unchanged) and hand back functions that compile
 * their schema the first time a request needs it — a few milliseconds once per route. `compileAllSchemas` forces every
 * pending compilation (the test suite calls it, so a schema that does not compile still fails a test, not a request).
 */
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

const pending = new Set<() => unknown>();

/** A function that compiles itself on its first call; Ajv's `errors` (read by Fastify after a failure) pass through. */
function lazy<F extends (...args: never[]) => unknown>(compile: () => F): F {
  let fn: F | undefined;
  const force = () => {
    if (!fn) {
      fn = compile();
      pending.delete(force);
    }
    return fn;
  };
  pending.add(force);
  const wrapper = (...args: Parameters<F>) => force()(...args);
  Object.defineProperty(wrapper, 'errors', { get: () => (fn as { errors?: unknown } | undefined)?.errors });
  return wrapper as unknown as F;
}

/** Fastify's `schemaController.compilersFactory`, compiling lazily. */
export function lazyCompilersFactory(): {
  buildValidator: AjvCompiler.BuildCompilerFromPool;
  buildSerializer: SerializerSelector.SerializerFactory;
} {
  const validators = AjvCompiler();
  const serializers = SerializerSelector();
  return {
    buildValidator: (...args: Parameters<typeof validators>) => {
      const compile = validators(...args);
      return (route) => lazy(() => compile(route));
    },
    buildSerializer: (...args: Parameters<typeof serializers>) => {
      const compile = serializers(...args);
      return (route) => lazy(() => compile(route));
    },
  };
}

/** Compiles every schema not compiled yet; throws the first compilation error. Returns how many were compiled. */
export function compileAllSchemas(): number {
  let n = 0;
  for (const force of [...pending]) {
    force();
    n++;
  }
  return n;
}

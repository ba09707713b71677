/**
 * ./generated/parameters.ts is this plugin's parameters as TypeScript,
 * rewritten by `wavecraft start` after every good build and by `wavecraft
 * bundle`. Its hook finds every parameter the engine declares, and tsc
 * refuses an id or a variant name the engine does not declare: the type
 * assertions at the end are checked by `npm run typecheck` (a
 * `@ts-expect-error` fails it once its line type-checks), not by Vitest.
 */
import { WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine, makeParameter } from "@wavecraft/core/testing";
import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, expectTypeOf, it } from "vitest";
import { parameters, useParameter } from "./generated/parameters";
import type { ParameterId, ParameterVariants } from "./generated/parameters";

const ids = Object.keys(parameters) as ParameterId[];

/** One parameter's name, found through the typed hook. */
function ParameterName({ id }: { id: ParameterId }) {
  const { param } = useParameter(id);
  return <li>{param?.name ?? `no ${id}`}</li>;
}

describe("generated/parameters", () => {
  it("finds every parameter the engine declares through the typed hook", async () => {
    // The generated descriptions are parameters as @wavecraft/core types them.
    const engine = createFakeEngine(
      ids.map((id) => makeParameter({ ...parameters[id], id, variants: [...parameters[id].variants] })),
    );
    render(
      <WavecraftProvider transport={engine.transport}>
        <ul>
          {ids.map((id) => (
            <ParameterName key={id} id={id} />
          ))}
        </ul>
      </WavecraftProvider>,
    );
    const names = ids.map((id) => parameters[id].name);
    await waitFor(() => {
      expect(screen.queryAllByRole("listitem").map((item) => item.textContent)).toEqual(names);
    });
  });
});

// @ts-expect-error: "cutof" is not one of this plugin's parameter ids
expectTypeOf(useParameter).toBeCallableWith("cutof");
expectTypeOf<"no such variant">().not.toExtend<ParameterVariants[keyof ParameterVariants]>();
expectTypeOf<keyof typeof parameters>().toEqualTypeOf<ParameterId>();
expectTypeOf<{
  [Id in keyof ParameterVariants]: (typeof parameters)[Id]["variants"][number];
}>().toEqualTypeOf<ParameterVariants>();

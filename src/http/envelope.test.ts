import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { successBody } from "./envelope.js";

describe("the success envelope", () => {
  it("is the output's members then the RequestId under Response, byte for byte as a spread would serialise it", () => {
    const output = fc.dictionary(
      fc.string().filter((k) => k !== "RequestId"),
      fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    );
    fc.assert(
      fc.property(output, fc.uuid(), (o, id) => {
        const body = successBody(o, id);
        expect(body).toBe(JSON.stringify({ Response: { ...o, RequestId: id } }));
        expect((JSON.parse(body) as { Response: { RequestId: string } }).Response.RequestId).toBe(id);
      }),
    );
  });

  it("answers an empty output with the RequestId alone", () => {
    expect(successBody({}, "r-1")).toBe('{"Response":{"RequestId":"r-1"}}');
    expect(successBody({ Gone: undefined }, "r-2")).toBe('{"Response":{"RequestId":"r-2"}}');
  });
});

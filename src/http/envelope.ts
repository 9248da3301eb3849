// The two answers of API 3.0, both with HTTP 200 and a RequestId:
//   {"Response": {...output, "RequestId": "…"}}  and  {"Response": {"Error": {"Code", "Message"}, "RequestId": "…"}}
import { Serialized } from "../api/kept-answers.js";

export function successBody(output: object | Serialized, requestId: string): string {
  // The output serialised as it is (or as it was kept), the RequestId spliced in as its last member: no copy of the
  // answer to build.
  const json = output instanceof Serialized ? output.json : JSON.stringify(output);
  const id = JSON.stringify(requestId);
  return json === "{}" ? `{"Response":{"RequestId":${id}}}` : `{"Response":${json.slice(0, -1)},"RequestId":${id}}}`;
}

export function errorBody(code: string, message: string, requestId: string): string {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}

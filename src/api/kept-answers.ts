// Answers that depend on nothing but the catalog, which is fixed while the server runs (regions, zones): the same
// parameters, region and language always give the same bytes, so each is serialised once and kept. Refusals are
// not kept; they are thrown before there is an answer.

/** An output object already serialised as JSON; the envelope splices the RequestId into it. */
export class Serialized {
  constructor(readonly json: string) {}
}

/** Far more than the catalog's distinct questions; parameters that vary without end only restart the set. */
const KEPT = 1000;

export class KeptAnswers {
  private readonly answers = new Map<string, Serialized>();

  /** The kept answer, at once; or the answer `answer` gives, serialised and kept (a refusal is thrown, not kept). */
  get(action: string, region: string | undefined, language: string, input: Record<string, unknown>, answer: () => Promise<object>): Serialized | Promise<Serialized> {
    const key = `${action}\n${region ?? ""}\n${language}\n${JSON.stringify(input)}`;
    return this.answers.get(key) ?? this.keep(key, answer);
  }

  private async keep(key: string, answer: () => Promise<object>): Promise<Serialized> {
    const kept = new Serialized(JSON.stringify(await answer()));
    if (this.answers.size >= KEPT) this.answers.clear();
    this.answers.set(key, kept);
    return kept;
  }
}

/**
 * Terms for runbook ranking, Chinese and English: Chinese is segmented by ICU's dictionary
 * (Intl.Segmenter "zh" word granularity) plus character bigrams of each Han run, so a word the
 * dictionary cuts differently still meets its bigrams; English is lowercased, stop words
 * dropped, and stemmed lightly (fails/failed/failing → fail).
 */

const SEGMENTER = new Intl.Segmenter("zh", { granularity: "word" });
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

const STOP = new Set(
  (
    "a an and are as at be by for from has have in is it its not of on or that the this to was were " +
    "will with when what which while after before into than then there their they out no yes can"
  ).split(" "),
);
// Single characters that carry no meaning alone (particles, copulas).
const HAN_STOP = new Set([..."的了是在和与或被把也就都而及等"]);

/** A light English stemmer: plural, -ed, -ing, then a final e (refuse/refused/refusing → refus). */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith("ies") || w.endsWith("ied")) return `${w.slice(0, -3)}y`;
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (/(ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

function hanBigrams(text: string, out: string[]): void {
  for (const [run] of text.matchAll(HAN_RUN)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  }
}

/** The terms of a text, in order, with repeats (BM25 counts them). */
export function terms(text: string): string[] {
  const normalized = text.normalize("NFKC").toLowerCase();
  const out: string[] = [];
  for (const s of SEGMENTER.segment(normalized)) {
    if (!s.isWordLike) continue;
    const word = s.segment;
    if (HAN.test(word)) {
      if (!(word.length === 1 && HAN_STOP.has(word))) out.push(word);
    } else if (!STOP.has(word) && (word.length > 1 || /\d/.test(word))) {
      out.push(stem(word));
    }
  }
  hanBigrams(normalized, out);
  return out;
}

/** Splits CamelCase and kebab identifiers into words: KubePodCrashLooping → "Kube Pod Crash Looping". */
export function identifierWords(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[-_./]+/g, " ");
}

/**
 * The tool catalogue of the function-call task: each tool's arguments (with the pool their values come from) and
 * request phrasings that state every argument. Some tools are deliberate look-alikes (add / multiply, weather /
 * book, email / remind) so that choosing the tool takes reading the request, not just spotting a value kind.
 */

export const VALUE_POOLS = {
  city: ['rome', 'oslo', 'lima', 'cairo', 'paris', 'tokyo', 'delhi', 'quito'],
  person: ['ann', 'bob', 'eve', 'max', 'zoe', 'tom', 'kim', 'joe'],
  day: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  lang: ['french', 'german', 'spanish', 'italian'],
  word: ['hello', 'thanks', 'water', 'bread', 'apple', 'house'],
  topic: ['lunch', 'rent', 'trip', 'report', 'party'],
  currency: ['usd', 'eur', 'yen', 'gbp'],
  number: Array.from({ length: 99 }, (_, i) => String(i + 1)),
} as const;

export type ValueKind = keyof typeof VALUE_POOLS;

export interface ToolSpec {
  name: string;
  args: readonly { name: string; kind: ValueKind }[];
  /** Phrasings with `{arg}` placeholders; each names every argument once. */
  requests: readonly string[];
  /** Arguments that must take different values (e.g. the two currencies of a conversion). */
  distinct?: readonly string[];
}

export const TOOLS: readonly ToolSpec[] = [
  { name: 'weather', args: [{ name: 'city', kind: 'city' }], requests: ['weather in {city}', 'is it cold in {city}'] },
  { name: 'timer', args: [{ name: 'minutes', kind: 'number' }], requests: ['set a timer for {minutes} min', 'wake me in {minutes} min'] },
  { name: 'add', args: [{ name: 'a', kind: 'number' }, { name: 'b', kind: 'number' }], requests: ['what is {a} plus {b}', 'sum of {a} and {b}'] },
  { name: 'multiply', args: [{ name: 'a', kind: 'number' }, { name: 'b', kind: 'number' }], requests: ['what is {a} times {b}', 'product of {a} and {b}'] },
  { name: 'translate', args: [{ name: 'text', kind: 'word' }, { name: 'lang', kind: 'lang' }], requests: ['say {text} in {lang}', 'translate {text} to {lang}'] },
  { name: 'email', args: [{ name: 'to', kind: 'person' }, { name: 'topic', kind: 'topic' }], requests: ['email {to} about {topic}', 'write to {to} about {topic}'] },
  { name: 'call', args: [{ name: 'person', kind: 'person' }], requests: ['phone {person}', 'ring {person} now'] },
  {
    name: 'convert',
    args: [{ name: 'amount', kind: 'number' }, { name: 'from', kind: 'currency' }, { name: 'to', kind: 'currency' }],
    requests: ['convert {amount} {from} to {to}', 'how much is {amount} {from} in {to}'],
    distinct: ['from', 'to'],
  },
  { name: 'book', args: [{ name: 'city', kind: 'city' }, { name: 'day', kind: 'day' }], requests: ['book a room in {city} on {day}', 'hotel in {city} for {day}'] },
  { name: 'remind', args: [{ name: 'topic', kind: 'topic' }, { name: 'day', kind: 'day' }], requests: ['remind me of {topic} on {day}', 'note {topic} for {day}'] },
];

/** `name(arg1,arg2)`, as the prompt lists a tool. */
export function toolSignature(tool: ToolSpec): string {
  return `${tool.name}(${tool.args.map((a) => a.name).join(',')})`;
}

/** Length of the longest value of a kind. */
export function longestValue(kind: ValueKind): number {
  return Math.max(...VALUE_POOLS[kind].map((v) => v.length));
}

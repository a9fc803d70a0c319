// Go matches regular expressions in linear time (RE2); JavaScript's RegExp backtracks, and a
// .dockerignore pattern such as `*a*a*a*a*a*a*a*b` takes exponential time on a long name of
// `a`s. This module runs the RegExp that go-regexp.ts produced on a Thompson NFA (a Pike VM
// without captures), in time linear in the path length whatever the pattern. It understands
// exactly what the translator emits: literals (`a`, `\u{2e}`), classes (`[...]`, `[^...]`,
// `[\p{L}]`), `^`, `$`, `\b`, `\B`, groups `(?:…)`, `|`, and `*`, `+`, `?` (lazy or not: only
// whether the whole path matches counts).

/** What the pattern matcher needs of an expression. */
export interface PathExpression {
  test(text: string): boolean;
}

type Assertion = 'start' | 'end' | 'word-boundary' | 'not-word-boundary';

type Node =
  | { readonly type: 'char'; readonly test: (character: string) => boolean }
  | { readonly type: 'assert'; readonly assertion: Assertion }
  | { readonly type: 'concat'; readonly items: readonly Node[] }
  | { readonly type: 'alternate'; readonly options: readonly Node[] }
  | { readonly type: 'repeat'; readonly item: Node; readonly min: 0 | 1; readonly unbounded: boolean };

type State =
  | { kind: 'char'; test: (character: string) => boolean; next: number }
  | { kind: 'split'; next: number; other: number }
  | { kind: 'assert'; assertion: Assertion; next: number }
  | { kind: 'jump'; next: number }
  | { kind: 'match' };

/**
 * The expression, matched without backtracking when it could backtrack badly (two or more
 * unbounded repetitions); with a single one, the native RegExp is linear enough and faster.
 *
 * @example
 * ```ts
 * linearPathExpression(translateGoRegexp('^[^/]*a[^/]*a[^/]*b$')).test('a'.repeat(10_000)); // false, at once
 * ```
 */
export function linearPathExpression(expression: RegExp, options: { readonly always?: boolean } = {}): PathExpression {
  const unbounded = expression.source.match(/(?<!\\)[*+]/g)?.length ?? 0;
  if (unbounded < 2 && options.always !== true) return expression;
  return new PikeProgram(new Parser(expression.source, expression.flags).parse());
}

class Parser {
  #index = 0;
  readonly #source: string;
  readonly #flags: string;

  constructor(source: string, flags: string) {
    this.#source = source;
    this.#flags = flags;
  }

  parse(): Node {
    const node = this.#alternation();
    if (this.#index !== this.#source.length) throw new Error(`Unexpected ${JSON.stringify(this.#source[this.#index])} in ${this.#source}`);
    return node;
  }

  #alternation(): Node {
    const options = [this.#sequence()];
    while (this.#source[this.#index] === '|') {
      this.#index += 1;
      options.push(this.#sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { type: 'alternate', options };
  }

  #sequence(): Node {
    const items: Node[] = [];
    while (this.#index < this.#source.length && this.#source[this.#index] !== '|' && this.#source[this.#index] !== ')') {
      let item = this.#atom();
      for (;;) {
        const quantifier = this.#source[this.#index];
        if (quantifier !== '*' && quantifier !== '+' && quantifier !== '?') break;
        this.#index += 1;
        // A `?` right after a quantifier makes it lazy: the same set of full matches.
        if (this.#source[this.#index] === '?') this.#index += 1;
        item = { type: 'repeat', item, min: quantifier === '+' ? 1 : 0, unbounded: quantifier !== '?' };
      }
      items.push(item);
    }
    return { type: 'concat', items };
  }

  #atom(): Node {
    const character = this.#source[this.#index] as string;
    if (this.#source.startsWith('(?:', this.#index)) {
      this.#index += 3;
      const inner = this.#alternation();
      if (this.#source[this.#index] !== ')') throw new Error(`Missing ) in ${this.#source}`);
      this.#index += 1;
      return inner;
    }
    if (character === '^' || character === '$') {
      this.#index += 1;
      return { type: 'assert', assertion: character === '^' ? 'start' : 'end' };
    }
    if (character === '[') return this.#singleCharacter(this.#classEnd());
    if (character === '\\') {
      const letter = this.#source[this.#index + 1];
      if (letter === 'b' || letter === 'B') {
        this.#index += 2;
        return { type: 'assert', assertion: letter === 'b' ? 'word-boundary' : 'not-word-boundary' };
      }
      if (letter === 'u' && this.#source[this.#index + 2] === '{') return this.#singleCharacter(this.#source.indexOf('}', this.#index) + 1);
      throw new Error(`Unexpected escape in ${this.#source}`);
    }
    if (/^[0-9A-Za-z]$/u.test(character)) return this.#singleCharacter(this.#index + 1);
    throw new Error(`Unexpected ${JSON.stringify(character)} in ${this.#source}`);
  }

  /** One character: a literal compares, a class asks the native RegExp of just this atom (linear by construction), remembering the answer per character. */
  #singleCharacter(end: number): Node {
    const source = this.#source.slice(this.#index, end);
    this.#index = end;
    const literal = /^\\u\{([0-9a-f]+)\}$/.exec(source);
    if (literal !== null || /^[0-9A-Za-z]$/u.test(source)) {
      const expected = literal === null ? source : String.fromCodePoint(Number.parseInt(literal[1] as string, 16));
      return { type: 'char', test: (character) => character === expected };
    }
    const atom = new RegExp(`^${source}$`, this.#flags);
    const answers = new Map<string, boolean>();
    return {
      type: 'char',
      test: (character) => {
        let answer = answers.get(character);
        if (answer === undefined) {
          answer = atom.test(character);
          if (answers.size < 4_096) answers.set(character, answer);
        }
        return answer;
      },
    };
  }

  /** Index after the `]` closing the class at the current index (classes hold no nested `[`). */
  #classEnd(): number {
    let index = this.#index + 1;
    if (this.#source[index] === '^') index += 1;
    // `[]` and `[^]` are complete classes in the translator's output.
    if (this.#source[index] === ']') return index + 1;
    while (index < this.#source.length && this.#source[index] !== ']') index += this.#source[index] === '\\' ? 2 : 1;
    if (index >= this.#source.length) throw new Error(`Missing ] in ${this.#source}`);
    return index + 1;
  }
}

const CHAR = 0;
const SPLIT = 1;
const ASSERT = 2;
const JUMP = 3;
const MATCH = 4;

class PikeProgram implements PathExpression {
  readonly #states: State[] = [];
  // The compiled states in flat arrays, for the hot loop.
  readonly #kinds: Uint8Array;
  readonly #next: Int32Array;
  readonly #other: Int32Array;
  readonly #tests: ((character: string) => boolean)[];
  readonly #assertions: (Assertion | undefined)[];

  constructor(node: Node) {
    const end = this.#compile(node);
    this.#patch(end, this.#add({ kind: 'match' }));
    const count = this.#states.length;
    this.#kinds = new Uint8Array(count);
    this.#next = new Int32Array(count);
    this.#other = new Int32Array(count);
    this.#tests = new Array<(character: string) => boolean>(count);
    this.#assertions = new Array<Assertion | undefined>(count);
    this.#states.forEach((state, index) => {
      switch (state.kind) {
        case 'char':
          this.#kinds[index] = CHAR;
          this.#next[index] = state.next;
          this.#tests[index] = state.test;
          break;
        case 'split':
          this.#kinds[index] = SPLIT;
          this.#next[index] = state.next;
          this.#other[index] = state.other;
          break;
        case 'assert':
          this.#kinds[index] = ASSERT;
          this.#next[index] = state.next;
          this.#assertions[index] = state.assertion;
          break;
        case 'jump':
          this.#kinds[index] = JUMP;
          this.#next[index] = state.next;
          break;
        case 'match':
          this.#kinds[index] = MATCH;
      }
    });
  }

  /** Whether the expression matches somewhere in `text` (like RegExp.test). */
  test(text: string): boolean {
    const characters = Array.from(text);
    const count = this.#kinds.length;
    // A state is on a list at most once per step: stamped with the step that added it.
    const stamps = new Int32Array(count).fill(-1);
    const stack = new Int32Array(count * 2 + 2);
    let current = new Int32Array(count);
    let following = new Int32Array(count);
    let size = 0;
    const follow = (start: number, into: Int32Array, length: number, step: number, previous: string | undefined, next: string | undefined, atStart: boolean, atEnd: boolean): number => {
      let top = 0;
      stack[top++] = start;
      while (top > 0) {
        const state = stack[--top] as number;
        if (stamps[state] === step) continue;
        stamps[state] = step;
        into[length++] = state;
        const kind = this.#kinds[state];
        if (kind === SPLIT) {
          stack[top++] = this.#other[state] as number;
          stack[top++] = this.#next[state] as number;
        } else if (kind === JUMP) stack[top++] = this.#next[state] as number;
        else if (kind === ASSERT && holds(this.#assertions[state] as Assertion, previous, next, atStart, atEnd)) stack[top++] = this.#next[state] as number;
      }
      return length;
    };
    for (let position = 0; position <= characters.length; position += 1) {
      const next = characters[position];
      // Unanchored search: a thread may start at every position.
      size = follow(0, current, size, position, position === 0 ? undefined : characters[position - 1], next, position === 0, position === characters.length);
      for (let item = 0; item < size; item += 1) if (this.#kinds[current[item] as number] === MATCH) return true;
      if (next === undefined) break;
      let followingSize = 0;
      const atEnd = position + 1 === characters.length;
      const after = characters[position + 1];
      for (let item = 0; item < size; item += 1) {
        const state = current[item] as number;
        if (this.#kinds[state] === CHAR && (this.#tests[state] as (character: string) => boolean)(next)) {
          followingSize = follow(this.#next[state] as number, following, followingSize, position + 1, next, after, false, atEnd);
        }
      }
      [current, following] = [following, current];
      size = followingSize;
    }
    return false;
  }

  #add(state: State): number {
    this.#states.push(state);
    return this.#states.length - 1;
  }

  /** Points every dangling exit in `exits` at `target`. */
  #patch(exits: number[], target: number): void {
    for (const exit of exits) {
      const state = this.#states[exit] as State;
      if (state.kind === 'split') {
        if (state.other === -1) state.other = target;
        else state.next = target;
      } else if (state.kind !== 'match') state.next = target;
    }
  }

  /** Compiles `node` starting at the next state index; returns its dangling exits. */
  #compile(node: Node): number[] {
    switch (node.type) {
      case 'char':
        return [this.#add({ kind: 'char', test: node.test, next: -1 })];
      case 'assert':
        return [this.#add({ kind: 'assert', assertion: node.assertion, next: -1 })];
      case 'concat': {
        if (node.items.length === 0) return [this.#add({ kind: 'jump', next: -1 })];
        let exits: number[] = [];
        for (const item of node.items) {
          const start = this.#states.length;
          const itemExits = this.#compile(item);
          this.#patch(exits, start);
          exits = itemExits;
        }
        return exits;
      }
      case 'alternate': {
        let exits: number[] = [];
        let pending: number | undefined;
        node.options.forEach((option, position) => {
          const last = position === node.options.length - 1;
          const split = last ? undefined : this.#add({ kind: 'split', next: -1, other: -1 });
          const start = this.#states.length;
          if (pending !== undefined) (this.#states[pending] as { other: number }).other = split ?? start;
          if (split !== undefined) (this.#states[split] as { next: number }).next = start;
          exits = exits.concat(this.#compile(option));
          pending = split;
        });
        return exits;
      }
      case 'repeat': {
        if (node.min === 1) {
          // x+ = x then (split back to x, or on)
          const start = this.#states.length;
          const itemExits = this.#compile(node.item);
          const loop = this.#add({ kind: 'split', next: start, other: -1 });
          this.#patch(itemExits, loop);
          return [loop];
        }
        const split = this.#add({ kind: 'split', next: -1, other: -1 });
        const start = this.#states.length;
        const itemExits = this.#compile(node.item);
        (this.#states[split] as { next: number }).next = start;
        if (node.unbounded) {
          this.#patch(itemExits, split);
          return [split];
        }
        return [split, ...itemExits];
      }
    }
  }
}

function holds(assertion: Assertion, previous: string | undefined, next: string | undefined, atStart: boolean, atEnd: boolean): boolean {
  switch (assertion) {
    case 'start':
      return atStart;
    case 'end':
      return atEnd;
    case 'word-boundary':
      return isWord(previous) !== isWord(next);
    case 'not-word-boundary':
      return isWord(previous) === isWord(next);
  }
}

function isWord(character: string | undefined): boolean {
  return character !== undefined && /^[0-9A-Za-z_]$/u.test(character);
}

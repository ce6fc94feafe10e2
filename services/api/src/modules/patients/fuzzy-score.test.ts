import {
  editDistance,
  keysOf,
  memoScorer,
  nameTokens,
  normalizePhone,
  phoneticKey,
  scoreName,
  soundex,
  tokenScore,
} from './fuzzy-score';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(editDistance('smith', 'smith')).toBe(0);
    expect(editDistance('smith', 'smyth')).toBe(1);
    expect(editDistance('smith', 'smiht')).toBe(1);
    expect(editDistance('smith', 'smit')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('soundex', () => {
  it('matches the reference codes', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Pfister')).toBe('P236');
    expect(soundex('')).toBe('');
  });
});

describe('phoneticKey', () => {
  it('maps sound-alike spellings to one key, including the first letter', () => {
    expect(phoneticKey('Carmen')).toBe(phoneticKey('Karmen'));
    expect(phoneticKey('Philips')).toBe(phoneticKey('Filips'));
    expect(phoneticKey('Catherine')).toBe(phoneticKey('Katherine'));
    expect(phoneticKey('Smith')).toBe(phoneticKey('Smyth'));
    expect(phoneticKey('Reddy')).toBe(phoneticKey('Redy'));
    expect(phoneticKey('Jon')).toBe(phoneticKey('John'));
  });
  it('keeps different names apart', () => {
    expect(phoneticKey('Carmen')).not.toBe(phoneticKey('Garcia'));
    expect(phoneticKey('Smith')).not.toBe(phoneticKey('Jones'));
  });
});

describe('tokenScore and scoreName', () => {
  it('ranks exact > prefix > phonetic > typo > none', () => {
    const exact = tokenScore('reddy', 'reddy').score;
    const prefix = tokenScore('red', 'reddy').score;
    const phon = tokenScore('karmen', 'carmen').score;
    const typo = tokenScore('rodtiguez', 'rodriguez').score;
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(phon);
    expect(phon).toBeGreaterThan(typo);
    expect(typo).toBeGreaterThan(0);
    expect(tokenScore('zz', 'reddy').score).toBe(0);
  });
  it('does not accept an edit on very short tokens', () => {
    expect(tokenScore('al', 'ed').score).toBe(0);
  });
  it('finds a typo inside a partial name', () => {
    expect(tokenScore('smiht', 'smithson').kind).toBe('typo');
  });
  it('needs every query token to match some name token', () => {
    const cand = nameTokens('Carmen Reddy');
    expect(scoreName(['karmen', 'redy'], cand).score).toBeGreaterThan(0.7);
    expect(scoreName(['carmen', 'jones'], cand).score).toBe(0);
    expect(scoreName(['reddy', 'carmen'], cand).kinds).toEqual(['exact', 'exact']);
    expect(scoreName([], cand).score).toBe(0);
  });
  it('normalises accents and punctuation', () => {
    expect(nameTokens("Zoë O'Neil-Smith")).toEqual(['zoe', 'oneil', 'smith']);
  });
});

describe('normalizePhone', () => {
  it('compares US numbers with or without formatting and country code', () => {
    expect(normalizePhone('(410) 555-0151')).toBe('4105550151');
    expect(normalizePhone('+1 410 555 0151')).toBe('4105550151');
  });
});

describe('bounded distance agrees with the full distance', () => {
  it('gives the same verdicts as editDistance on many pairs', () => {
    const words = [
      'smith',
      'smyth',
      'smiht',
      'smithson',
      'reddy',
      'redy',
      'carmen',
      'karmen',
      'rodriguez',
      'rodtiguez',
      'jon',
      'john',
      'ab',
      'ba',
      'katherine',
      'catherine',
    ];
    for (const a of words)
      for (const b of words) {
        const full = editDistance(a, b);
        const s = tokenScore(a, b);
        if (a === b) expect(s.kind).toBe('exact');
        else if (full <= 1 && a.length >= 4 && !b.startsWith(a)) expect(s.score).toBeGreaterThan(0);
      }
  });
});

describe('memoScorer', () => {
  it('returns what tokenScore returns, computing each pair once', () => {
    const memo = memoScorer();
    const a = keysOf('karmen');
    const b = keysOf('carmen');
    expect(memo(a, b)).toEqual(tokenScore(a, b));
    expect(memo(a, b)).toBe(memo(a, b));
  });
});

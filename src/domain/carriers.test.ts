// Carrier tracking numbers: the data source's published samples, numbers built here with check
// digits computed independently of carriers.ts, scanner-delivered forms, precedence between
// carriers, and the hand-picked fallback.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acceptTracking, CARRIERS, recognizeTracking, type Carrier, type TrackingResult } from './carriers';

const GS = '\x1d';

// ---- Independent check digits (left to right, tables as the sources print them) ----

/** GS1 mod 10: weights 3 and 1 alternating, the digit before the check digit weighted 3. */
function gs1(body: string): string {
  const sum = [...body].reduce((total, char, i) => total + Number(char) * ((body.length - i) % 2 === 1 ? 3 : 1), 0);
  return String((10 - (sum % 10)) % 10);
}

/** UPS letter values, as the published table lists them (A=2 … Z=7). */
const UPS_LETTERS: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter, i) => [letter, (i + 2) % 10]),
);
function ups(body15: string): string {
  const sum = [...body15].reduce((total, char, i) => {
    const value = /\d/.test(char) ? Number(char) : UPS_LETTERS[char]!;
    return total + (i % 2 === 0 ? value : value * 2);
  }, 0);
  return String((10 - (sum % 10)) % 10);
}

/** FedEx, weights as the data source lists them from the left, mod 11 then mod 10. */
function fedex(body: string, weights: readonly number[]): string {
  const sum = [...body].reduce((total, char, i) => total + Number(char) * weights[i]!, 0);
  return String((sum % 11) % 10);
}
const FEDEX_12 = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
const FEDEX_34 = [1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];

const dhl = (body: string): string => String(BigInt(body) % 7n);

// ---- Generators ----

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const alnum = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: length, maxLength: length });

interface Sample {
  code: string;
  carrier: Carrier;
  form: string;
  trackingNumber: string;
  postalCode?: string;
  /** Positions whose digits the check digit covers and the tracking number shows. */
  checked: [from: number, to: number];
  /** Every single-digit change there is caught (a GS1 check). */
  gs1Checked?: boolean;
}

const sample = (code: string, carrier: Carrier, form: string, extra: Partial<Sample> = {}): Sample => ({
  code,
  carrier,
  form,
  trackingNumber: code,
  checked: [0, code.length],
  ...extra,
});

const upsNumber = alnum(15).map((body) => sample(`1Z${body}${ups(body)}`, 'UPS', 'UPS 1Z', { checked: [2, 18] }));
const fedex12 = digits(11).map((body) => sample(`${body}${fedex(body, FEDEX_12)}`, 'FedEx', 'FedEx Express 12'));
const fedex15 = digits(14).map((body) => sample(`${body}${gs1(body)}`, 'FedEx', 'FedEx Ground 15', { gs1Checked: true }));
const fedex96 = digits(19).map((rest) => {
  const body = `96${rest}`;
  return sample(`${body}${gs1(body.slice(7))}`, 'FedEx', 'FedEx Ground 96', { checked: [7, 22], gs1Checked: true });
});
const fedex34 = fc
  .tuple(fc.constantFrom('1', '96'), digits(32))
  .map(([lead, rest]) => `${lead}${rest}`.slice(0, 33))
  .filter((body) => !body.startsWith('420'))
  .map((body) => {
    const code = `${body}${fedex(body.slice(20), FEDEX_34)}`;
    return sample(code, 'FedEx', 'FedEx 34', { trackingNumber: code.slice(-12), checked: [22, 34] });
  });
const smartPost20 = fc.tuple(digits(3), digits(15)).map(([service, rest]) => {
  const body = `${service}9${rest}`;
  return sample(`${body}${gs1(`92${body}`)}`, 'FedEx', 'FedEx SmartPost 20', { gs1Checked: true });
});
/** USPS 20 service types from the data source (never 00: that is an SSCC's AI). */
const usps20 = fc.tuple(fc.constantFrom('01', '02', '05', '21', '23', '73', '82'), digits(17)).map(([service, rest]) => {
  const body = `${service}${rest}`;
  return sample(`${body}${gs1(body)}`, 'USPS', 'USPS 20', { gs1Checked: true });
});
const legacy20 = digits(19).map((body) => sample(`${body}${gs1(`91${body}`)}`, 'USPS', 'USPS legacy 20', { gs1Checked: true }));
const legacy91 = digits(19).map((rest) => sample(`91${rest}${gs1(`91${rest}`)}`, 'USPS', 'USPS legacy 91', { gs1Checked: true }));
/** IMpb per Pub 199: AI, service type, mailer id (9 digits from 9, or 6 from 0–8), serial, check. */
const impbBody = fc
  .tuple(
    fc.constantFrom('92', '93', '94', '95'),
    digits(3),
    fc.boolean(),
    fc.constantFrom(22, 26),
    digits(24),
  )
  .map(([ai, service, longMid, length, rest]) => {
    const nineDigitMid = ai === '92' || (ai !== '93' && longMid);
    const midLead = nineDigitMid ? '9' : String(Number(rest[0]) % 9);
    return `${ai}${service}${midLead}${rest}`.slice(0, length - 1);
  });
const impb = fc.oneof(impbBody, digits(24).map((rest) => `94${rest.slice(0, 3)}9${rest}`.slice(0, 29))).map((body) =>
  sample(`${body}${gs1(body)}`, 'USPS', 'USPS IMpb', { gs1Checked: true }),
);
const dhlNumber = fc.constantFrom(9, 10).chain((length) =>
  digits(length).map((body) => sample(`${body}${dhl(body)}`, 'DHL', 'DHL Express')),
);

/** IMpb behind a 420 + ZIP (or ZIP+4) routing prefix, as the GS1-128 symbol carries it. */
const routed = fc
  .tuple(impb.filter((s) => s.code.length === 22), fc.constantFrom(5, 9), digits(9), fc.boolean())
  .map(([inner, zipLength, zipDigits, separated]) => {
    const zip = zipDigits.slice(0, zipLength);
    const code = `420${zip}${separated ? GS : ''}${inner.code}`;
    const offset = code.length - inner.code.length;
    return { ...inner, code, postalCode: zip, checked: [offset, code.length] as [number, number] };
  });

const FORMS: [string, fc.Arbitrary<Sample>][] = [
  ['UPS 1Z', upsNumber],
  ['FedEx Express 12', fedex12],
  ['FedEx Ground 15', fedex15],
  ['FedEx Ground 96', fedex96],
  ['FedEx 34', fedex34],
  ['FedEx SmartPost 20', smartPost20],
  ['USPS 20', usps20],
  ['USPS legacy 20', legacy20],
  ['USPS legacy 91', legacy91],
  ['USPS IMpb', impb],
  ['USPS IMpb routed', routed],
  ['DHL Express', dhlNumber],
];

const expected = (s: Sample) => ({
  ok: true,
  carrier: s.carrier,
  form: s.form,
  trackingNumber: s.trackingNumber,
  ...(s.postalCode ? { postalCode: s.postalCode } : {}),
});

function refused(result: TrackingResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result;
}

// ---- Published samples ----

describe('recognizeTracking: samples published in jkeen/tracking_number_data', () => {
  const valid: [string, Carrier, string, string?][] = [
    ['1Z5R89390357567127', 'UPS', '1Z5R89390357567127'],
    ['1Z879E930346834440', 'UPS', '1Z879E930346834440'],
    ['1Z410E7W0392751591', 'UPS', '1Z410E7W0392751591'],
    ['1Z8V92A70367203024', 'UPS', '1Z8V92A70367203024'],
    ['1ZXX3150YW44070023', 'UPS', '1ZXX3150YW44070023'],
    ['986578788855', 'FedEx', '986578788855'],
    ['477179081230', 'FedEx', '477179081230'],
    ['799531274483', 'FedEx', '799531274483'],
    ['974367662710', 'FedEx', '974367662710'],
    [' 7 9 0 5 3 5 3 1 2 3 1 7 ', 'FedEx', '790535312317'],
    ['0414 4176 0228 964', 'FedEx', '041441760228964'],
    ['5682 8361 0012 734', 'FedEx', '568283610012734'],
    ['9611020987654312345672', 'FedEx', '9611020987654312345672'],
    ['1001921334250001000300779017972697', 'FedEx', '779017972697'],
    ['1027590111820004833500785458233610', 'FedEx', '785458233610'],
    ['9622001900000000000000776632517510', 'FedEx', '776632517510'],
    ['9632001560123456789900794808390594', 'FedEx', '794808390594'],
    ['61299998820821171811', 'FedEx', '61299998820821171811'],
    ['0307 1790 0005 2348 3741', 'USPS', '03071790000523483741'],
    ['7196 9010 7560 0307 7385', 'USPS', '71969010756003077385'],
    ['9101 1234 5678 9000 0000 13', 'USPS', '9101123456789000000013'],
    ['9400 1112 0108 0805 4830 16', 'USPS', '9400111201080805483016'],
    ['9405803699300124287899', 'USPS', '9405803699300124287899'],
    ['9505 5110 6960 5048 6006 24', 'USPS', '9505511069605048600624'],
    ['92748931507708513018050063', 'USPS', '92748931507708513018050063'],
    ['9361 2898 7870 0317 6337 95', 'USPS', '9361289878700317633795'],
    ['420787459400111206206406260787', 'USPS', '9400111206206406260787', '78745'],
    ['420 22153 9101026837331000039521', 'USPS', '9101026837331000039521', '22153'],
    ['420 11213 92 6129098349792366623 8', 'USPS', '9261290983497923666238', '11213'],
    ['4201002334249200190132607600833457', 'USPS', '9200190132607600833457', '100233424'],
    ['4201028200009261290113185417468510', 'USPS', '9261290113185417468510', '102820000'],
    ['3318810025', 'DHL', '3318810025'],
    ['8487135506', 'DHL', '8487135506'],
    ['1099255990', 'DHL', '1099255990'],
    ['73891051146', 'DHL', '73891051146'],
  ];
  it.each(valid)('%j is %s %s', (scanned, carrier, trackingNumber, postalCode) => {
    const result = recognizeTracking(scanned);
    expect(result).toMatchObject({ ok: true, carrier, trackingNumber });
    if (result.ok) expect(result.postalCode).toBe(postalCode);
  });

  const badCheck: [string, Carrier][] = [
    ['1Z5R89390357567128', 'UPS'],
    ['996578788855', 'FedEx'],
    ['5682 8361 0012 732', 'FedEx'],
    ['1001901781990001000300617767839438', 'FedEx'],
    ['9622001560001234567100794808390595', 'FedEx'],
    ['9600000000000000000001', 'FedEx'],
    ['9101 1234 5678 9000 0000 14', 'USPS'],
    ['9434611206206407667131', 'USPS'],
    ['4201028200009261290113185417468511', 'USPS'],
    ['3318810010', 'DHL'],
    ['3318810034', 'DHL'],
  ];
  it.each(badCheck)('%j has a wrong %s check digit', (scanned, carrier) => {
    expect(recognizeTracking(scanned)).toMatchObject({ ok: false, reason: 'BAD_CHECK_DIGIT', carrier });
  });

  it('says which carrier had the wrong check digit and what to do', () => {
    expect(recognizeTracking('1Z5R89390357567128')).toEqual({
      ok: false,
      reason: 'BAD_CHECK_DIGIT',
      carrier: 'UPS',
      params: { carriers: ['UPS'] },
      canChooseCarrier: false,
      message: 'UPS tracking number with a wrong check digit: scan the label again',
    });
  });

  it('refuses what breaks a pattern rather than its check digit as unknown', () => {
    // 92 needs a nine-digit mailer id; these carry a six-digit one (Pub 199, and the data's invalid list).
    for (const scanned of ['9200000000000000000000', '420000009200000000000000000000', '2Z5R89390357567127']) {
      expect(recognizeTracking(scanned)).toMatchObject({ ok: false, reason: 'UNKNOWN_PATTERN', canChooseCarrier: true });
    }
  });
});

// ---- Built numbers and properties ----

describe('recognizeTracking: every form, check digits computed independently', () => {
  it.each(FORMS)('recognises a generated %s', (_name, arbitrary) => {
    fc.assert(fc.property(arbitrary, (s) => {
      expect(recognizeTracking(s.code)).toEqual(expected(s));
    }), { numRuns: 300 });
  });

  it.each(FORMS)('%s: a single changed digit is refused or is not that tracking number', (_name, arbitrary) => {
    const changed = arbitrary.chain((s) =>
      fc.record({ s: fc.constant(s), at: fc.integer({ min: s.checked[0], max: s.checked[1] - 1 }), by: fc.integer({ min: 1, max: 9 }) }),
    );
    fc.assert(fc.property(changed, ({ s, at, by }) => {
      const char = s.code[at]!;
      fc.pre(/\d/.test(char));
      const code = `${s.code.slice(0, at)}${(Number(char) + by) % 10}${s.code.slice(at + 1)}`;
      const result = recognizeTracking(code);
      if (result.ok) {
        expect(result.trackingNumber).not.toBe(s.trackingNumber);
        // A GS1 check catches every single-digit change: never the same form read the same way.
        if (s.gs1Checked) expect([result.form, result.postalCode]).not.toEqual([s.form, s.postalCode]);
      }
    }), { numRuns: 500 });
  });

  it.each(FORMS)('%s: every wrong check digit is refused or read as another number', (_name, arbitrary) => {
    fc.assert(fc.property(arbitrary, fc.integer({ min: 1, max: 9 }), (s, by) => {
      const last = s.code.length - 1;
      const code = `${s.code.slice(0, last)}${(Number(s.code[last]) + by) % 10}`;
      const result = recognizeTracking(code);
      // Another reading may hold by chance (a 20-digit sibling form, a ZIP+4 read as a ZIP, an SSCC).
      if (result.ok) expect([result.form, result.trackingNumber]).not.toEqual([s.form, s.trackingNumber]);
      else expect(['BAD_CHECK_DIGIT', 'SSCC_LABEL']).toContain(result.reason);
    }), { numRuns: 300 });
  });

  it('refuses a wrong check digit for each carrier, naming it', () => {
    const wrong = (code: string) => `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`;
    expect(recognizeTracking(wrong('986578788855'))).toMatchObject({ reason: 'BAD_CHECK_DIGIT', carrier: 'FedEx' });
    expect(recognizeTracking(wrong('9400111201080805483016'))).toMatchObject({ reason: 'BAD_CHECK_DIGIT', carrier: 'USPS' });
    expect(recognizeTracking(wrong('3318810025'))).toMatchObject({ reason: 'BAD_CHECK_DIGIT', carrier: 'DHL' });
    expect(recognizeTracking(wrong('1Z879E930346834440'))).toMatchObject({ reason: 'BAD_CHECK_DIGIT', carrier: 'UPS' });
  });

  it('names every carrier whose 20-digit form the number has when no check holds', () => {
    // SmartPost's shape (fourth digit 9) and USPS's: the one check digit none of the three forms gives.
    const body = '6129999882082117181';
    const none = [...'0123456789'].find((d) => ![gs1(body), gs1(`91${body}`), gs1(`92${body}`)].includes(d))!;
    const result = refused(recognizeTracking(`${body}${none}`));
    expect(result).toMatchObject({ reason: 'BAD_CHECK_DIGIT', carrier: 'USPS', params: { carriers: ['USPS', 'FedEx'] } });
    expect(result.message).toBe('USPS or FedEx tracking number with a wrong check digit: scan the label again');
  });

  it('answers any input without throwing', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => {
      const result = recognizeTracking(text);
      expect(result.ok || result.message.length > 0).toBe(true);
    }), { numRuns: 1000 });
  });
});

describe('recognizeTracking: scans as a wedge delivers them', () => {
  it('trims, removes spaces and upper-cases', () => {
    expect(recognizeTracking('  1z 879e9 3034 6834 440\r\n')).toMatchObject({ ok: true, carrier: 'UPS', trackingNumber: '1Z879E930346834440' });
    expect(recognizeTracking('\t9400 1112 0108 0805 4830 16\n')).toMatchObject({ ok: true, trackingNumber: '9400111201080805483016' });
  });

  it('drops an AIM symbology identifier', () => {
    expect(recognizeTracking(']C01Z5R89390357567127')).toMatchObject({ ok: true, carrier: 'UPS', trackingNumber: '1Z5R89390357567127' });
    expect(recognizeTracking(']C1420787459400111206206406260787')).toMatchObject({ ok: true, carrier: 'USPS', postalCode: '78745' });
  });

  it('reads 420 + ZIP + GS + tracking number, with FNC1 first and a ZIP+4', () => {
    expect(recognizeTracking(`]C1${GS}42078745${GS}9400111206206406260787`)).toEqual({
      ok: true,
      carrier: 'USPS',
      form: 'USPS IMpb',
      trackingNumber: '9400111206206406260787',
      postalCode: '78745',
    });
    expect(recognizeTracking(`420100233424${GS}9200190132607600833457`)).toMatchObject({ ok: true, postalCode: '100233424' });
    // With the separator the ZIP's length is known, so a 26-digit IMpb after ZIP+4 reads too.
    expect(recognizeTracking(`420100233424${GS}92748931507708513018050063`)).toMatchObject({
      ok: true,
      trackingNumber: '92748931507708513018050063',
      postalCode: '100233424',
    });
  });

  it('refuses a wrong check digit behind a separated routing prefix for USPS alone', () => {
    expect(recognizeTracking(`42078745${GS}9400111206206406260788`)).toMatchObject({
      ok: false,
      reason: 'BAD_CHECK_DIGIT',
      carrier: 'USPS',
      canChooseCarrier: false,
    });
  });

  it('refuses GS1 data that is no routing prefix', () => {
    expect(recognizeTracking(`]C10109506000134352${GS}10LOT1`)).toMatchObject({ ok: false, reason: 'GS1_DATA' });
    expect(recognizeTracking(`42078745${GS}12345`)).toMatchObject({ ok: false, reason: 'GS1_DATA' });
    expect(recognizeTracking(`4207874${GS}9400111206206406260787`)).toMatchObject({ ok: false, reason: 'GS1_DATA' });
  });

  it('refuses an SSCC element string and a product barcode', () => {
    expect(recognizeTracking(']C100106141411234567897')).toMatchObject({ ok: false, reason: 'SSCC_LABEL', canChooseCarrier: false });
    expect(recognizeTracking('00106141411234567897')).toMatchObject({ ok: false, reason: 'SSCC_LABEL' });
    expect(recognizeTracking(']E0012345678905')).toMatchObject({ ok: false, reason: 'PRODUCT_BARCODE' });
  });

  it('refuses empty input, control characters, other characters and overlong scans', () => {
    expect(recognizeTracking('')).toMatchObject({ ok: false, reason: 'EMPTY' });
    expect(recognizeTracking(' \r\n')).toMatchObject({ ok: false, reason: 'EMPTY' });
    expect(recognizeTracking(']C1')).toMatchObject({ ok: false, reason: 'EMPTY' });
    expect(recognizeTracking('1Z5R\u00008939')).toMatchObject({ ok: false, reason: 'CONTROL_CHARACTER', params: { char: 'U+0000' } });
    expect(recognizeTracking('9400\t1112')).toMatchObject({ ok: false, reason: 'CONTROL_CHARACTER', params: { char: 'U+0009' } });
    expect(recognizeTracking('1Z5R-8939')).toMatchObject({ ok: false, reason: 'BAD_CHARACTER', params: { char: '-' } });
    expect(recognizeTracking('1Z5R8939é')).toMatchObject({ ok: false, reason: 'BAD_CHARACTER', params: { char: 'é' } });
    expect(recognizeTracking('1'.repeat(41))).toMatchObject({ ok: false, reason: 'TOO_LONG', params: { length: 41, max: 40 } });
    expect(recognizeTracking(' '.repeat(5000))).toMatchObject({ ok: false, reason: 'TOO_LONG' });
  });

  it('tells a 1Z of the wrong length apart from an unknown number', () => {
    expect(recognizeTracking('1Z5R8939035756712')).toMatchObject({
      ok: false,
      reason: 'WRONG_LENGTH',
      carrier: 'UPS',
      params: { expected: 18, length: 17 },
      canChooseCarrier: false,
    });
  });
});

describe('recognizeTracking: precedence where shapes meet', () => {
  it('reads a 34-digit 420… as a routed USPS IMpb even when a FedEx 34 check also holds', () => {
    // Search the serial for a number both checks accept: the USPS reading must win.
    let both = '';
    for (let n = 0; both === '' && n < 10_000; n++) {
      const body = `9261290113${String(n).padStart(11, '0')}`;
      const code = `420102820000${body}${gs1(body)}`;
      if (fedex(code.slice(20, 33), FEDEX_34) === code.at(-1)) both = code;
    }
    expect(both).toHaveLength(34);
    expect(recognizeTracking(both)).toMatchObject({ ok: true, carrier: 'USPS', postalCode: '102820000' });
  });

  it('reads a 34-digit 420… whose USPS check fails as FedEx 34 when that check holds', () => {
    let fedexOnly = '';
    for (let n = 0; fedexOnly === '' && n < 10_000; n++) {
      const code = `420102820000${`9261290113${String(n).padStart(11, '0')}`}`;
      const body = code.slice(20);
      const withCheck = `${code}${fedex(body, FEDEX_34)}`;
      if (gs1(withCheck.slice(12, -1)) !== withCheck.at(-1)) fedexOnly = withCheck;
    }
    expect(recognizeTracking(fedexOnly)).toMatchObject({ ok: true, carrier: 'FedEx', form: 'FedEx 34', trackingNumber: fedexOnly.slice(-12) });
  });

  it('gives each 20-digit number at most one form: their three checks never agree', () => {
    fc.assert(fc.property(digits(19), (body) => {
      expect(new Set([gs1(body), gs1(`91${body}`), gs1(`92${body}`)]).size).toBe(3);
    }));
  });
});

// ---- The hand-picked fallback ----

describe('acceptTracking: a carrier chosen by hand', () => {
  it('offers the four carriers', () => {
    expect(CARRIERS).toEqual(['UPS', 'FedEx', 'USPS', 'DHL']);
  });

  it('takes an unknown pattern with the chosen carrier, canonical', () => {
    expect(recognizeTracking('gm 2951 1732 2517 4494')).toMatchObject({ ok: false, reason: 'UNKNOWN_PATTERN', canChooseCarrier: true });
    expect(acceptTracking('gm 2951 1732 2517 4494', 'DHL')).toEqual({ ok: true, carrier: 'DHL', trackingNumber: 'GM2951173225174494', form: 'by hand' });
    expect(acceptTracking('JJD0099999999', 'DHL')).toMatchObject({ ok: true, carrier: 'DHL', trackingNumber: 'JJD0099999999' });
  });

  it('keeps a recognised number with its own carrier', () => {
    expect(acceptTracking('986578788855', 'FedEx')).toMatchObject({ ok: true, carrier: 'FedEx', form: 'FedEx Express 12' });
    expect(acceptTracking('986578788855', 'UPS')).toEqual({
      ok: false,
      reason: 'CARRIER_MISMATCH',
      carrier: 'FedEx',
      params: { carriers: ['FedEx'], chosen: 'UPS' },
      canChooseCarrier: false,
      message: 'This is a FedEx tracking number, not UPS: choose FedEx',
    });
  });

  it('lets FedEx or DHL claim a commercial IMpb (92, 93) they hand to USPS, but not UPS', () => {
    expect(acceptTracking('9261292700768711948021', 'FedEx')).toMatchObject({ ok: true, carrier: 'FedEx', trackingNumber: '9261292700768711948021' });
    expect(acceptTracking('420 11213 92 6129098349792366623 8', 'DHL')).toMatchObject({ ok: true, carrier: 'DHL', postalCode: '11213' });
    expect(acceptTracking('9261292700768711948021', 'UPS')).toMatchObject({ ok: false, reason: 'CARRIER_MISMATCH' });
    // 94 is a USPS online label: nobody else's.
    expect(acceptTracking('9405803699300124287899', 'FedEx')).toMatchObject({ ok: false, reason: 'CARRIER_MISMATCH' });
  });

  it('refuses a wrong check digit for the carrier it names, allows another for a shared shape', () => {
    // 12 digits failing FedEx's check: a misread FedEx label, or another carrier's 12-digit number.
    expect(acceptTracking('996578788855', 'FedEx')).toMatchObject({ ok: false, reason: 'BAD_CHECK_DIGIT' });
    expect(acceptTracking('996578788855', 'DHL')).toEqual({ ok: true, carrier: 'DHL', trackingNumber: '996578788855', form: 'by hand' });
  });

  it('never takes a 1Z or a separated IMpb that failed its check, whatever the choice', () => {
    for (const carrier of CARRIERS) {
      expect(acceptTracking('1Z5R89390357567128', carrier)).toMatchObject({ ok: false, reason: 'BAD_CHECK_DIGIT' });
      expect(acceptTracking('1Z5R8939035756712', carrier)).toMatchObject({ ok: false, reason: 'WRONG_LENGTH' });
      expect(acceptTracking(`42078745${GS}9400111206206406260788`, carrier)).toMatchObject({ ok: false, reason: 'BAD_CHECK_DIGIT' });
    }
  });

  it('still refuses obviously bad input', () => {
    expect(acceptTracking('  ', 'DHL')).toMatchObject({ ok: false, reason: 'EMPTY' });
    expect(acceptTracking('AB\u0007CD', 'DHL')).toMatchObject({ ok: false, reason: 'CONTROL_CHARACTER' });
    expect(acceptTracking('A'.repeat(41), 'DHL')).toMatchObject({ ok: false, reason: 'TOO_LONG' });
    expect(acceptTracking('AB/CD', 'DHL')).toMatchObject({ ok: false, reason: 'BAD_CHARACTER' });
    expect(acceptTracking('00106141411234567897', 'FedEx')).toMatchObject({ ok: false, reason: 'SSCC_LABEL' });
    expect(acceptTracking(']C10109506000134352\x1d10LOT1', 'DHL')).toMatchObject({ ok: false, reason: 'GS1_DATA' });
  });

  it('refuses a carrier not on the list', () => {
    expect(acceptTracking('GM2951173225174494', 'OnTrac')).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_CARRIER',
      message: 'Choose the carrier: UPS, FedEx, USPS or DHL',
    });
  });

  it('answers a clean alphanumeric scan with the chosen carrier, or says why not', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 40 }), fc.constantFrom(...CARRIERS), (text, carrier) => {
      const result = acceptTracking(text, carrier);
      if (result.ok) expect(result.carrier).toBe(carrier);
      else expect(['BAD_CHECK_DIGIT', 'WRONG_LENGTH', 'CARRIER_MISMATCH', 'SSCC_LABEL']).toContain(result.reason);
    }), { numRuns: 500 });
  });
});

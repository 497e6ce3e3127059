import { maskContacts } from './contact-masking';

describe('maskContacts (messaging-reports §3.1.4)', () => {
  it.each([
    ['Appelle moi au 06 12 34 56 78', 'Appelle moi au [TELEPHONE MASQUE]'],
    ['mon num +33 6 12 34 56 78 ok', 'mon num +[TELEPHONE MASQUE] ok'],
    ['0033612345678', '[TELEPHONE MASQUE]'],
    ['06.12.34.56.78', '[TELEPHONE MASQUE]'],
    ['0612345678', '[TELEPHONE MASQUE]'],
    ['jean.dupont at gmail.com', '[EMAIL MASQUE]'],
    ['jean chez orange.fr', '[EMAIL MASQUE]'],
    ['wa.me/33612345678', 'wa.me/[TELEPHONE MASQUE]'],
    ['t.me/abc wa.me/abc', '[CONTACT MASQUE] [CONTACT MASQUE]'],
    ['mon insta @toto_92', 'mon [CONTACT MASQUE] [CONTACT MASQUE]'],
    ['instagram.com/toto', '[CONTACT MASQUE].com/toto'],
    ['RDV le 2024-01-15 a 10h', 'RDV le [TELEPHONE MASQUE] a 10h'],
    ['Clio 2019 80000 km', 'Clio [TELEPHONE MASQUE] km'],
    ['rdv 14.30 - 15.00 ou 16.00', 'rdv [TELEPHONE MASQUE] ou 16.00'],
  ])('parity: %j is stored as %j', (input, stored) => {
    expect(maskContacts(input)).toBe(stored);
  });

  it.each(['prix 1 500 000 euros', 'le 12/03 a 14h30', 'Je suis arrivé'])(
    'parity: %j is left unchanged',
    (input) => {
      expect(maskContacts(input)).toBe(input);
    },
  );

  it('masks an e-mail address before anything else reads its parts', () => {
    expect(maskContacts('Appelez-moi au 06 12 34 56 78 ou test@email.com')).toBe(
      'Appelez-moi au [TELEPHONE MASQUE] ou [EMAIL MASQUE]',
    );
  });

  it.each([
    ['whatsapp', 'mon WhatsApp', 'mon [CONTACT MASQUE]'],
    ['snapchat', 'ajoute moi sur snapchat', 'ajoute moi sur [CONTACT MASQUE]'],
    ['fb as a whole word only', 'fb fbx', '[CONTACT MASQUE] fbx'],
    ['a one-letter handle is not one', 'a @b', 'a @b'],
  ])('keywords and handles: %s', (_, input, stored) => {
    expect(maskContacts(input)).toBe(stored);
  });

  describe('Unicode words, as Python 3 reads them', () => {
    it('an accented letter is a word character: no boundary inside "éfb" or "fbé"', () => {
      expect(maskContacts('éfb fbé fb')).toBe('éfb fbé [CONTACT MASQUE]');
    });

    it('a handle and an e-mail take non-ASCII letters and digits', () => {
      expect(maskContacts('@Zoé_٣ et zoé@exemple.fr')).toBe('[CONTACT MASQUE] et [EMAIL MASQUE]');
    });

    it('any decimal digit counts, e.g. Arabic-Indic or fullwidth ones', () => {
      expect(maskContacts('٠٦١٢٣٤٥٦٧٨')).toBe('[TELEPHONE MASQUE]');
      expect(maskContacts('０６１２３４５６７８')).toBe('[TELEPHONE MASQUE]');
    });

    it('white space is Python’s: a no-break space or a newline separates, a zero-width space does not', () => {
      expect(maskContacts('06\u00a012\n34 56 78')).toBe('[TELEPHONE MASQUE]');
      expect(maskContacts('jean\u00a0at\u00a0gmail.com')).toBe('[EMAIL MASQUE]');
      expect(maskContacts('jean\u200bat\u200bgmail.com')).toBe('jean\u200bat\u200bgmail.com');
    });

    it('keywords ignore case as Python does, the Turkish dotted and dotless i included', () => {
      expect(maskContacts('INSTA Snap ınsta İnsta ſnap')).toBe(
        '[CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE]',
      );
    });
  });

  it('truncates input beyond 10,000 code points before masking, never splitting a surrogate pair', () => {
    const masked = maskContacts(`${'🙂'.repeat(9_999)}ab`);
    expect(Array.from(masked)).toHaveLength(10_000);
    expect(masked.endsWith('🙂a')).toBe(true);
  });

  it('can grow the text past 500 characters: the tokens are longer than what they replace', () => {
    const masked = maskContacts('@ab '.repeat(125));
    expect(masked.length).toBeGreaterThan(500);
  });
});

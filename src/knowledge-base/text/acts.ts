/**
 * The acts this field cites most, keyed by their normalised short citation. Short citations
 * ("D.Lgs. 142/2015") carry no date, and Normattiva's URNs need one: this table supplies it.
 */
export const ACT_KINDS = {
  'decreto.legislativo': { short: 'D.Lgs.', urn: 'decreto.legislativo' },
  legge: { short: 'L.', urn: 'legge' },
  'decreto.legge': { short: 'D.L.', urn: 'decreto.legge' },
  'decreto.presidente.repubblica': { short: 'D.P.R.', urn: 'decreto.del.presidente.della.repubblica' },
} as const

export type ItalianActKind = keyof typeof ACT_KINDS

export interface KnownAct {
  date: string
  title: string
}

export const KNOWN_ACTS: Readonly<Record<string, KnownAct>> = {
  'D.Lgs. 286/1998': { date: '1998-07-25', title: "Testo unico sull'immigrazione" },
  'D.Lgs. 142/2015': { date: '2015-08-18', title: 'Accoglienza dei richiedenti protezione internazionale' },
  'D.Lgs. 25/2008': { date: '2008-01-28', title: 'Procedure per il riconoscimento della protezione internazionale' },
  'D.Lgs. 251/2007': { date: '2007-11-19', title: 'Qualifica di rifugiato e protezione sussidiaria' },
  'D.Lgs. 30/2007': { date: '2007-02-06', title: 'Circolazione e soggiorno dei cittadini dell’Unione europea' },
  'D.Lgs. 253/2016': { date: '2016-12-29', title: 'Trasferimenti intra-societari (direttiva 2014/66/UE)' },
  'D.P.R. 394/1999': { date: '1999-08-31', title: "Regolamento di attuazione del testo unico sull'immigrazione" },
  'D.P.R. 223/1989': { date: '1989-05-30', title: 'Regolamento anagrafico della popolazione residente' },
  'L. 91/1992': { date: '1992-02-05', title: 'Nuove norme sulla cittadinanza' },
  'L. 189/2002': { date: '2002-07-30', title: 'Modifica alla normativa in materia di immigrazione e di asilo' },
  'L. 47/2017': { date: '2017-04-07', title: 'Misure di protezione dei minori stranieri non accompagnati' },
  'L. 46/2017': { date: '2017-04-13', title: 'Conversione del D.L. 13/2017' },
  'L. 132/2018': { date: '2018-12-01', title: 'Conversione del D.L. 113/2018' },
  'L. 173/2020': { date: '2020-12-18', title: 'Conversione del D.L. 130/2020' },
  'D.L. 13/2017': { date: '2017-02-17', title: 'Procedimenti in materia di protezione internazionale' },
  'D.L. 113/2018': { date: '2018-10-04', title: 'Protezione internazionale, immigrazione e sicurezza pubblica' },
  'D.L. 130/2020': { date: '2020-10-21', title: 'Immigrazione, protezione internazionale e complementare' },
  'D.L. 5/2012': { date: '2012-02-09', title: 'Semplificazione e sviluppo' },
}

import t from 'tap'
import { populationBand, positionOf, scoreArea, scoreAssessment, sizeClassOf, suppress } from '../../src/self-assessment/scoring.js'
import { questionnaireProblems } from '../../src/self-assessment/validation.js'
import { smallQuestionnaire } from '../factories/self-assessment.js'

const content = smallQuestionnaire()
const scale = content.scale

t.test('an area scores the mean of its answers', async (t) => {
  const [org] = scoreAssessment(content, { o1: { score: 1 }, o2: { score: 2 }, a1: { score: 3 }, a2: { score: 3 } }, 'comune_piccolo')
  t.equal(org?.score, 1.5)
  t.equal(org?.position, 'in_linea')
})

t.test('"non applicabile" leaves a question out instead of counting it as zero', async (t) => {
  const area = content.areas[1]!
  const result = scoreArea(area, { a1: { notApplicable: true }, a2: { score: 2 } }, 'comune_piccolo', scale)
  t.equal(result.score, 2, 'only the applicable answer counts')
  t.equal(result.notApplicable, 1)
  t.equal(result.position, 'in_linea')
  const none = scoreArea({ ...area, questions: [area.questions[0]!] }, { a1: { notApplicable: true } }, 'comune_piccolo', scale)
  t.equal(none.score, null, 'an area where nothing applies has no score')
  t.equal(none.position, 'non_valutabile')
})

t.test('the same answers meet the model of a small comune and fall short of a larger one', async (t) => {
  const answers = { o1: { score: 1 }, o2: { score: 1 } }
  const area = content.areas[0]!
  t.match(scoreArea(area, answers, 'comune_piccolo', scale), { target: 1, position: 'in_linea', gap: 0 })
  t.match(scoreArea(area, answers, 'unione', scale), { target: 2, position: 'da_rafforzare', gap: 1 })
  t.match(scoreArea(area, answers, 'comune', scale), { target: 3, position: 'da_costruire', gap: 2 })
  t.same(scoreArea(area, answers, 'comune', scale).below.map((b) => b.code), ['o1', 'o2'], 'both questions are gaps for a larger comune')
})

t.test('positions in words follow the distance from the target', async (t) => {
  t.equal(positionOf(2.5, 2, scale), 'in_linea')
  t.equal(positionOf(1.25, 2, scale), 'da_rafforzare')
  t.equal(positionOf(0.5, 2, scale), 'da_costruire')
  t.equal(positionOf(null, 2, scale), 'non_valutabile')
})

t.test('size classes: an Unione, a comune up to 5,000, a larger comune', async (t) => {
  t.equal(sizeClassOf({ kind: 'unione', population: 12000 }), 'unione')
  t.equal(sizeClassOf({ kind: 'comune', population: 3000 }), 'comune_piccolo')
  t.equal(sizeClassOf({ kind: 'comune', population: 5000 }), 'comune_piccolo')
  t.equal(sizeClassOf({ kind: 'comune', population: 5001 }), 'comune')
})

t.test('counts under 5 organizations are suppressed', async (t) => {
  t.same([0, 1, 4, 5, 12].map(suppress), [0, '< 5', '< 5', 5, 12])
})

t.test('a questionnaire needs two levels per question, scores and targets inside the scale', async (t) => {
  const bad = smallQuestionnaire()
  bad.areas[0]!.questions[0]!.levels = [{ score: 1, label: 'solo uno' }]
  bad.areas[0]!.questions[1]!.levels = [
    { score: 0, label: 'a' },
    { score: 7, label: 'fuori scala' },
  ]
  bad.areas[1]!.targets.unione = 9
  const problems = questionnaireProblems(bad)
  t.match(problems, [
    { path: 'areas[0].targets.comune', message: /./ },
    { path: 'areas[0].questions[0].levels', message: /two levels/ },
    { path: 'areas[0].questions[1].levels[1].score', message: /outside the scale/ },
    { path: 'areas[1].targets.unione', message: /outside the scale/ },
  ].filter((p) => p.path !== 'areas[0].targets.comune'))
  t.equal(problems.length, 3)
  t.same(questionnaireProblems(smallQuestionnaire()), [], 'the valid one has none')
})

t.test('population bands for the aggregates', async (t) => {
  t.same(
    [populationBand(160, 'comune_piccolo'), populationBand(3000, 'comune_piccolo'), populationBand(5000, 'comune_piccolo'), populationBand(72000, 'comune'), populationBand(9000, 'unione')],
    ['fino a 1.000 abitanti', '1.001-3.000 abitanti', '3.001-5.000 abitanti', 'oltre 20.000 abitanti', 'Unioni di Comuni'],
  )
})

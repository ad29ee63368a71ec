import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES, parseCsv, toCsv } from './csv.ts'

const BOM = '\uFEFF'

describe('toCsv', () => {
  it('writes RFC 4180 with CRLF, a BOM, and quotes only where needed', () => {
    const csv = toCsv(
      ['name', 'note'],
      [
        ['Plain', 'a, b'],
        ['Say "hi"', 'two\nlines'],
        ['cr\rhere', ''],
      ],
    )
    expect(csv).toBe(`${BOM}name,note\r\nPlain,"a, b"\r\n"Say ""hi""","two\nlines"\r\n"cr\rhere",\r\n`)
  })

  it('writes numbers, booleans and empty values as they are', () => {
    expect(toCsv(['a', 'b', 'c', 'd', 'e'], [[-12.5, 0, true, null, undefined]])).toBe(
      `${BOM}a,b,c,d,e\r\n-12.5,0,true,,\r\n`,
    )
    expect(toCsv(['a', 'b'], [[Number.NaN, Number.POSITIVE_INFINITY]])).toBe(`${BOM}a,b\r\n,\r\n`)
    expect(toCsv(['a'], [])).toBe(`${BOM}a\r\n`)
    expect(toCsv(['a'], [[''], ['x'], ['']])).toBe(`${BOM}a\r\n\r\nx\r\n\r\n`)
  })

  it.each([
    // Papaparse quotes every cell it neutralises; the quotes are the CSV's, not the value's.
    ['=SUM(A1)', `"'=SUM(A1)"`],
    ['+1', `"'+1"`],
    ['-x', `"'-x"`],
    ['@cmd', `"'@cmd"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['=1,2', `"'=1,2"`],
    ["'=already", `"''=already"`],
    ["'quoted", "'quoted"],
    ['a=b', 'a=b'],
  ])('neutralises a formula in %j', (value, cell) => {
    expect(toCsv(['v'], [[value]])).toBe(`${BOM}v\r\n${cell}\r\n`)
  })
})

describe('parseCsv', () => {
  const parse = (text: string) => parseCsv(text, 'test.csv')

  it('reads what toCsv writes, exactly, including formulas, quotes and line breaks', () => {
    const values = [
      '=SUM(A1)',
      '+1',
      '-x',
      '@cmd',
      '\tx',
      '\rx',
      "'=already",
      "''+twice",
      "'quoted",
      'Smith, Jones & "Partners"',
      'line one\r\nline two\nthree',
      '  spaced  ',
      'café ☕ 🌳',
      '',
    ]
    const result = parse(
      toCsv(
        ['value', 'other'],
        values.map((value) => [value, 'x']),
      ),
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.header).toEqual(['value', 'other'])
    expect(result.value.rows.map((row) => row.value)).toEqual(values)
  })

  it('strips a BOM, trims header names, ignores blank lines at the end', () => {
    const result = parse(`${BOM} id , name \nx,Food bank\n\n\r\n`)
    expect(result).toEqual({
      ok: true,
      value: { header: ['id', 'name'], rows: [{ id: 'x', name: 'Food bank' }] },
    })
  })

  it('keeps a blank line in the middle as an empty row so row numbers stay right', () => {
    const result = parse('id,name\n\nx,y\n')
    expect(result.ok && result.value.rows).toEqual([
      { id: '', name: '' },
      { id: 'x', name: 'y' },
    ])
  })

  it('leaves a leading quote alone unless a protected character follows', () => {
    const result = parse("v\n'hello\n'=x\n")
    expect(result.ok && result.value.rows.map((row) => row.v)).toEqual(["'hello", '=x'])
  })

  it('reads semicolon-separated files as Excel saves them in much of Europe', () => {
    const result = parse('Label;Type\nFood bank;Charity\n')
    expect(result.ok && result.value.rows).toEqual([{ Label: 'Food bank', Type: 'Charity' }])
  })

  it('reports an unterminated quote with its row number', () => {
    const result = parse('id,name\na,ok\nb,"never closed\nc,d\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toEqual([
      { file: 'test.csv', row: 3, message: expect.stringMatching(/never closed/) },
    ])
  })

  it('reports every row with the wrong number of cells', () => {
    const result = parse('id,name,kind\na,b,c\nd,e\nf,g,h,i\n')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toEqual([
      { file: 'test.csv', row: 3, message: 'this row has 2 cells but the header has 3' },
      { file: 'test.csv', row: 4, message: 'this row has 4 cells but the header has 3' },
    ])
  })

  it('counts rows, not lines, when a cell holds a line break', () => {
    const result = parse('id,name\n"a","two\nlines"\nb\n')
    expect(result.ok === false && result.error[0]?.row).toBe(3)
  })

  it('refuses an empty file and a repeated column', () => {
    expect(parse(`${BOM}\r\n`)).toEqual({
      ok: false,
      error: [{ file: 'test.csv', message: 'the file is empty: its first row must name the columns' }],
    })
    const repeated = parse('id,name,id\n1,2,3\n')
    expect(repeated.ok === false && repeated.error[0]).toMatchObject({ row: 1, column: 'id' })
  })

  it('refuses a 50 MB text quickly, without parsing it', () => {
    const huge = 'a'.repeat(50 * 1024 * 1024)
    const started = performance.now()
    const result = parseCsv(huge, 'huge.csv')
    expect(performance.now() - started).toBeLessThan(50)
    expect(result).toEqual({
      ok: false,
      error: [{ file: 'huge.csv', message: 'the file is 50.0 MB; the largest import is 20 MB' }],
    })
  })

  it('measures size in UTF-8 bytes, not characters', () => {
    const chars = Math.ceil(MAX_IMPORT_BYTES / 3) + 10
    const result = parseCsv(`v\n${'€'.repeat(chars)}`, 'wide.csv')
    expect(result.ok === false && result.error[0]?.message).toMatch(/^the file is 20\.0 MB/)
  })
})

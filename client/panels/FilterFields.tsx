import type { ReactNode } from 'react'

/** A filter's control under its label. */
export function Labelled(props: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="table-view__field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  )
}

/** A labelled select over [value, label] options; `all` adds a first option with the value ''. */
export function Select(props: {
  id: string
  label: string
  value: string
  options: readonly (readonly [value: string, label: string])[]
  all?: string
  onChange: (value: string) => void
}) {
  return (
    <Labelled id={props.id} label={props.label}>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.all !== undefined && <option value="">{props.all}</option>}
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Labelled>
  )
}

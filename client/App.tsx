import { useState } from 'react'
import { HomePage } from './home/HomePage.tsx'
import { loadParticipant, type Participant } from './identity.ts'
import { useRoute } from './router.ts'
import { WorkspacePage } from './workspace/WorkspacePage.tsx'

export function App() {
  const route = useRoute()
  const [participant, setParticipant] = useState<Participant>(loadParticipant)
  if (route.page === 'workspace') {
    return (
      <WorkspacePage
        key={route.room}
        room={route.room}
        participant={participant}
        onParticipant={setParticipant}
      />
    )
  }
  return <HomePage />
}
